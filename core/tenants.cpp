#include "tenants.hpp"

#include <string_view>
#include <vector>

#include "encoding.hpp"

namespace frontdesk {
namespace {

constexpr std::string_view client_state_prefix = "frontdesk:";

}  // namespace

std::string client_state_for(std::string_view tenant) {
  std::string state(client_state_prefix);
  state.append(tenant);
  return base64_encode(state);
}

std::string tenant_in_client_state(std::string_view client_state) {
  const auto decoded = base64_decode(client_state);
  if (!decoded || decoded->rfind(client_state_prefix, 0) != 0) return {};
  return decoded->substr(client_state_prefix.size());
}

std::string tenant_for(const Config& config, const Event& event) {
  // Our number is `to` inbound and `from` outbound; when the provider does not say which way
  // (status callbacks often do not), either side, then any recipient of a group text.
  const bool outbound = event.direction == Direction::outbound;
  std::vector<std::string_view> sides{outbound ? event.from : event.to, outbound ? event.to : event.from};
  for (const auto& recipient : event.recipients) sides.emplace_back(recipient);
  for (const auto side : sides) {
    if (side.empty()) continue;
    for (const auto& [name, tenant] : config.tenants) {
      for (const auto& number : tenant.numbers) {
        if (number == side) return name;
      }
    }
  }
  if (!event.tenant.empty() && config.tenants.count(event.tenant) > 0) return event.tenant;
  if (const auto source = config.sources.find(event.source); source != config.sources.end() && !source->second.tenant.empty()) {
    return source->second.tenant;
  }
  return std::string(default_tenant);
}

}  // namespace frontdesk
