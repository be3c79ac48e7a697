#pragma once
#include "../dispatch.hpp"

namespace frontdesk::objects {

// One ledger per tenant: the strongly consistent record of what Frontdesk accepted.
// Messages:
//   {"op":"record_event","event":{…}} → {"event_id":"…","duplicate":false}
//     (a repeat of (source, provider_event_id) answers the first event's id, duplicate true)
//   {"op":"list_events","source":"…","limit":N} → {"events":[…]} newest first
Task<ObjectReply> ledger_call(ObjectContext& context, std::string_view message);

inline constexpr std::string_view ledger_kind = "ledger";

}  // namespace frontdesk::objects
