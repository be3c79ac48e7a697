#include "auto_reply.hpp"

#include "../phone.hpp"

namespace frontdesk::reception {
namespace {

// Answering spam tells its sender the number is live, so only a rule that names spam itself
// answers it; a catch-all rule does not.
bool matches(const AutoReplyRule& rule, const Analysis& analysis) {
  if (analysis.intent == Intent::spam && rule.intent != Intent::spam) return false;
  if (rule.priority && *rule.priority != analysis.priority) return false;
  if (rule.intent && *rule.intent != analysis.intent) return false;
  return true;
}

bool within_window(std::optional<std::int64_t> last_ms, std::int64_t now_ms, std::int64_t window_s) {
  if (!last_ms) return false;
  if (*last_ms >= now_ms) return true;
  // Unsigned, so the difference of any two timestamps is exact and cannot overflow.
  const auto elapsed = static_cast<std::uint64_t>(now_ms) - static_cast<std::uint64_t>(*last_ms);
  return elapsed < static_cast<std::uint64_t>(window_s) * 1000U;
}

}  // namespace

std::optional<std::string> choose_auto_reply(const Analysis& analysis, const TenantPolicy& policy,
                                             std::string_view sender, const std::vector<std::string>& tenant_numbers,
                                             std::optional<std::int64_t> last_auto_reply_at_ms, std::int64_t now_ms) {
  const auto from = normalize_e164(sender);
  if (!from) return std::nullopt;
  for (const auto& number : tenant_numbers) {
    if (normalize_e164(number) == from) return std::nullopt;
  }
  if (within_window(last_auto_reply_at_ms, now_ms, policy.auto_reply_window_s)) return std::nullopt;
  for (const auto& rule : policy.auto_reply) {
    if (matches(rule, analysis)) return rule.text;
  }
  return std::nullopt;
}

}  // namespace frontdesk::reception
