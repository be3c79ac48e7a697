#pragma once
// The event types Frontdesk sends to the tenant's endpoints (docs/fanout.md), and the
// id of a delivery, the same on every retry of one event to one endpoint.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace frontdesk::fanout {

inline constexpr std::array<std::string_view, 10> event_types{
    "call.received", "call.screened",    "call.answered",    "call.ended",     "message.received",
    "message.sent",  "outbound.dead",    "registry.changed", "webhook.received", "frontdesk.test"};

bool known_event_type(std::string_view type);

// How long a delivery waits for the endpoint's answer before it counts as failed.
inline constexpr std::int64_t delivery_timeout_ms = 15'000;

// "evt_" + 20 hex digits, derived from what the event is about, so the same record never
// makes two events: type and subject (a call id, a message id, an event id).
std::string event_id_for(std::string_view tenant, std::string_view type, std::string_view subject);

}  // namespace frontdesk::fanout
