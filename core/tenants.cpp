#include "tenants.hpp"

namespace frontdesk {

std::string tenant_for(const Config& config, const Event& event) {
  const std::string& ours = event.direction == "outbound" ? event.from : event.to;
  for (const auto& [name, tenant] : config.tenants) {
    for (const auto& number : tenant.numbers) {
      if (!ours.empty() && number == ours) return name;
    }
  }
  return std::string(default_tenant);
}

}  // namespace frontdesk
