#pragma once
#include "../dispatch.hpp"

namespace frontdesk::objects {

// One object per provider call (id = "<tenant>:<source>:<provider call id>"): the call's
// state machine (core/reception/call_state.hpp), its timeline and its decision.
// Messages:
//   {"op":"apply","event":{…},"decision":{…}?} → {"id":"call_…","applied":"recorded"|"duplicate"|"ignored",
//     "record":{…}}. The first decision given is kept: later ones (a retried delivery)
//     are ignored, and the reply's record carries the one kept. A blocked or rejected
//     decision ends the call `rejected`.
//   {"op":"get"} → the same reply without "applied"; not_found before the first event.
Task<ObjectReply> call_object_call(ObjectContext& context, std::string_view message);

inline constexpr std::string_view call_kind = "call";

}  // namespace frontdesk::objects
