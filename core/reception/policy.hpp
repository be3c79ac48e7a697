#pragma once
// A tenant's reception policy, read from its raw configuration (TenantConfig::raw):
//   "registry": {"+15555550123": "alice.x"}, "allow": [phones], "block": [phones],
//   "policy": {"screening": "open" | "known-only" | "trust", "min_trust": 0–100,
//              "reject_message": "…", "forward_to": phone,
//              "weights": {"registry": 40, …}, "keywords": {"emergency": ["flood", …], …},
//              "auto_reply": [{"when": {"priority": "urgent"}, "text": "…"}],
//              "auto_reply_window_s": 3600, "roles": {"dispatcher": ["calls:read", …]}}
// Everything is optional. A value that is present but wrong is an invalid_field error
// naming it (e.g. "policy.min_trust"), never silently replaced by a default: a typo in a
// screening policy must not open the door.
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../result.hpp"
#include "text_analysis.hpp"
#include "trust.hpp"

namespace frontdesk::reception {

enum class ScreeningMode { open, known_only, trust };
std::string_view screening_mode_name(ScreeningMode mode);

// A rule matches when every condition it states holds; a rule with no conditions matches
// every text.
struct AutoReplyRule {
  std::optional<Priority> priority;
  std::optional<Intent> intent;
  std::string text;
  bool operator==(const AutoReplyRule&) const = default;
};

inline constexpr std::string_view default_reject_message = "This number is not taking calls right now.";

struct TenantPolicy {
  ScreeningMode screening = ScreeningMode::open;
  int min_trust = 50;
  std::string reject_message{default_reject_message};
  std::optional<std::string> forward_to;                     // E.164
  std::map<std::string, std::string, std::less<>> registry;  // E.164 → namespace
  std::set<std::string, std::less<>> allow;                  // E.164
  std::set<std::string, std::less<>> block;                  // E.164
  TrustWeights weights;
  Keywords keywords = default_keywords();  // a policy list replaces the default one
  std::vector<AutoReplyRule> auto_reply;   // first match wins
  std::int64_t auto_reply_window_s = 3600;
  // Platform mode (the API): what each X-User-Role may do; roles not named here keep
  // their defaults (core/api/scopes.hpp).
  std::map<std::string, std::vector<std::string>, std::less<>> roles;
  bool operator==(const TenantPolicy&) const = default;
};

Result<TenantPolicy> parse_policy(const boost::json::object& tenant_raw);

}  // namespace frontdesk::reception
