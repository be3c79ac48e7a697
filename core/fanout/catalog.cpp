#include "catalog.hpp"

#include "../crypto/primitives.hpp"
#include "../encoding.hpp"

namespace frontdesk::fanout {

bool known_event_type(std::string_view type) {
  for (const auto known : event_types) {
    if (known == type) return true;
  }
  return false;
}

std::string event_id_for(std::string_view tenant, std::string_view type, std::string_view subject) {
  std::string key;
  key.append(tenant).append("\n").append(type).append("\n").append(subject);
  return "evt_" + hex_encode(crypto::bytes_of(crypto::sha256(key))).substr(0, 20);
}

}  // namespace frontdesk::fanout
