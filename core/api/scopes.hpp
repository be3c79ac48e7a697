#pragma once
// API scopes, and what a platform token's X-User-Role may do.
#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../reception/policy.hpp"

namespace frontdesk::api {

using Scopes = std::set<std::string, std::less<>>;

inline constexpr std::array<std::string_view, 14> all_scopes{
    "calls:read",      "calls:write",    "messages:read",   "messages:write", "registry:read",
    "registry:write",  "events:read",    "outbound:write",  "endpoints:read", "endpoints:write",
    "metrics:read",    "audit:read",     "tokens:admin",    "platform"};

inline constexpr std::string_view platform_scope = "platform";

bool known_scope(std::string_view scope);

// The scopes of a role: the tenant policy's `roles` entry when it names the role, else the
// defaults (admin: all but platform; supervisor: every read and write; agent: calls and
// messages; viewer: every read). An unknown role has none.
Scopes role_scopes(std::string_view role, const reception::TenantPolicy& policy);

}  // namespace frontdesk::api
