#pragma once
// `frontdesk audit verify`: checks every tenant's audit chain (or one tenant's) and names
// the first entry that fails.
#include <span>
#include <string_view>

namespace frontdesk::native {

inline constexpr std::string_view audit_usage = "frontdesk audit verify --db FILE [--tenant T]";

// One JSON line per tenant ({"tenant":…,"ok":true,"entries":n} or with "seq" and "reason");
// exit 0 when every chain verifies, 1 when one does not or the database cannot be read,
// 2 for bad arguments.
int audit_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
