#include "tenants.hpp"

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
  const std::string& ours = event.direction == "outbound" ? event.from : event.to;
  for (const auto& [name, tenant] : config.tenants) {
    for (const auto& number : tenant.numbers) {
      if (!ours.empty() && number == ours) return name;
    }
  }
  if (!event.tenant.empty() && config.tenants.count(event.tenant) > 0) return event.tenant;
  return std::string(default_tenant);
}

}  // namespace frontdesk
