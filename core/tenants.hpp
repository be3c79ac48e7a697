#pragma once
#include <string>

#include "config.hpp"
#include "event.hpp"

namespace frontdesk {

inline constexpr std::string_view default_tenant = "default";

// The tenant owning a number of the event: `to` first for inbound (or unknown direction)
// events and `from` first for outbound ones, then the other side, then any recipient.
// Events that carry no numbers (Telnyx's
// call.speak.ended) name their tenant in the call's client_state, which Frontdesk set on its
// commands (Event::tenant as normalized): used when it is a configured tenant. Then the
// source's own `tenant`, if configured; "default" when nothing tells.
std::string tenant_for(const Config& config, const Event& event);

// The client_state Frontdesk puts on its Telnyx commands, and the tenant read back from one.
std::string client_state_for(std::string_view tenant);
std::string tenant_in_client_state(std::string_view client_state);

}  // namespace frontdesk
