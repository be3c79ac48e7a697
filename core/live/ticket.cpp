#include "ticket.hpp"

#include "../encoding.hpp"
#include "../fanout/catalog.hpp"

namespace frontdesk::live {
namespace {

constexpr std::string_view prefix = "lt_";

std::string_view scope_to_read(std::string_view type) {
  if (type.starts_with("call.")) return "calls:read";
  if (type.starts_with("message.")) return "messages:read";
  if (type == "registry.changed") return "registry:read";
  if (type == "frontdesk.test") return "endpoints:read";
  return "events:read";
}

bool hex_digits(std::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string ticket_for(std::string_view tenant, std::string_view random16) {
  std::string ticket(prefix);
  ticket.append(hex_encode(tenant)).append("_").append(hex_encode(random16));
  return ticket;
}

std::optional<std::string> ticket_tenant(std::string_view ticket) {
  if (!ticket.starts_with(prefix)) return std::nullopt;
  const auto rest = ticket.substr(prefix.size());
  const auto separator = rest.find('_');
  if (separator == std::string_view::npos || separator == 0 || separator % 2 != 0) return std::nullopt;
  const auto tenant_hex = rest.substr(0, separator);
  const auto secret = rest.substr(separator + 1);
  if (secret.size() != 32 || !hex_digits(tenant_hex) || !hex_digits(secret)) return std::nullopt;
  auto tenant = hex_decode(tenant_hex);
  if (!tenant) return std::nullopt;
  return std::move(*tenant);
}

std::vector<std::string> visible_types(const api::Scopes& scopes) {
  std::vector<std::string> types;
  for (const auto type : fanout::event_types) {
    if (scopes.contains(scope_to_read(type))) types.emplace_back(type);
  }
  return types;
}

}  // namespace frontdesk::live
