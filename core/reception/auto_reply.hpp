#pragma once
// Auto-replies to texts, with the guards that keep two auto-responders from talking to each
// other forever: never to the tenant's own numbers, never to a sender that is not a phone
// number, and at most one per sender per policy window.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy.hpp"
#include "text_analysis.hpp"

namespace frontdesk::reception {

// The first matching rule's text, or nullopt when no rule matches or a guard holds. Spam is
// answered only by a rule whose intent is spam: never by a catch-all.
// `last_auto_reply_at_ms` is when this tenant last auto-replied to this sender (nullopt:
// never); a reply is sent again only once a full window has passed. A last reply stamped
// after `now_ms` (clock skew between hosts) counts as inside the window.
std::optional<std::string> choose_auto_reply(const Analysis& analysis, const TenantPolicy& policy,
                                             std::string_view sender, const std::vector<std::string>& tenant_numbers,
                                             std::optional<std::int64_t> last_auto_reply_at_ms, std::int64_t now_ms);

}  // namespace frontdesk::reception
