#pragma once
#include "../dispatch.hpp"

namespace frontdesk::objects {

// The object behind /health?deep=1: proves an object's storage and SQL by writing a
// nonce and reading it back. Messages: {"check":"storage"|"sql","nonce":"…"}.
Task<ObjectReply> health_probe_call(ObjectContext& context, std::string_view message);

inline constexpr std::string_view health_probe_kind = "health";
inline constexpr std::string_view health_probe_id = "probe";

}  // namespace frontdesk::objects
