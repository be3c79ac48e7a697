#pragma once
#include <string>

#include "config.hpp"
#include "event.hpp"

namespace frontdesk {

inline constexpr std::string_view default_tenant = "default";

// The tenant owning the number the event concerns: `to` for inbound (or unknown
// direction) events, `from` for outbound ones; "default" when no tenant has it.
std::string tenant_for(const Config& config, const Event& event);

}  // namespace frontdesk
