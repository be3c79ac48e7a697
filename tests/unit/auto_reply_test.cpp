#include <catch2/catch.hpp>

#include <limits>

#include "core/reception/auto_reply.hpp"

using namespace frontdesk::reception;

namespace {

constexpr std::string_view sender = "+15555550123";
const std::vector<std::string> own_numbers{"+18886115384", "+18884748733"};
constexpr std::int64_t now = 1700000000000;

TenantPolicy policy_with_rules() {
  TenantPolicy policy;
  policy.auto_reply = {
      {Priority::urgent, std::nullopt, "We got your urgent message and are on it."},
      {std::nullopt, Intent::booking, "Book online at example.com."},
      {Priority::normal, Intent::billing, "Billing replies within a day."},
  };
  policy.auto_reply_window_s = 3600;
  return policy;
}

Analysis labels(Intent intent, Priority priority) {
  Analysis analysis;
  analysis.intent = intent;
  analysis.priority = priority;
  return analysis;
}

const Analysis urgent = labels(Intent::emergency, Priority::urgent);

}  // namespace

TEST_CASE("auto-reply: the first matching rule's text") {
  const auto policy = policy_with_rules();
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, std::nullopt, now) ==
        "We got your urgent message and are on it.");
  CHECK(choose_auto_reply(labels(Intent::booking, Priority::normal), policy, sender, own_numbers, std::nullopt, now) ==
        "Book online at example.com.");
  CHECK(choose_auto_reply(labels(Intent::billing, Priority::normal), policy, sender, own_numbers, std::nullopt, now) ==
        "Billing replies within a day.");
}

TEST_CASE("auto-reply: a rule needs every condition it states") {
  const auto policy = policy_with_rules();
  // billing at high priority fails the third rule's priority condition
  CHECK(choose_auto_reply(labels(Intent::billing, Priority::high), policy, sender, own_numbers, std::nullopt, now) ==
        std::nullopt);
  CHECK(choose_auto_reply(labels(Intent::other, Priority::normal), policy, sender, own_numbers, std::nullopt, now) ==
        std::nullopt);
}

TEST_CASE("auto-reply: earlier rules win over later ones") {
  auto policy = policy_with_rules();
  policy.auto_reply.push_back({std::nullopt, std::nullopt, "Catch-all."});
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, std::nullopt, now) ==
        "We got your urgent message and are on it.");
  CHECK(choose_auto_reply(labels(Intent::question, Priority::normal), policy, sender, own_numbers, std::nullopt, now) ==
        "Catch-all.");
  policy.auto_reply.insert(policy.auto_reply.begin(), {std::nullopt, std::nullopt, "First."});
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, std::nullopt, now) == "First.");
}

TEST_CASE("auto-reply: none without rules") {
  CHECK(choose_auto_reply(urgent, TenantPolicy{}, sender, own_numbers, std::nullopt, now) == std::nullopt);
}

TEST_CASE("auto-reply: never to the tenant's own numbers, however written") {
  const auto policy = policy_with_rules();
  CHECK(choose_auto_reply(urgent, policy, "+18886115384", own_numbers, std::nullopt, now) == std::nullopt);
  CHECK(choose_auto_reply(urgent, policy, "1-888-474-TREE", own_numbers, std::nullopt, now) == std::nullopt);
  CHECK(choose_auto_reply(urgent, policy, "+18886115384", {"1 (888) 611-5384"}, std::nullopt, now) == std::nullopt);
}

TEST_CASE("auto-reply: never to a sender that is not a phone number") {
  const auto policy = policy_with_rules();
  for (const auto* bad : {"", "anonymous", "12", "short-code-or-name"}) {
    INFO(bad);
    CHECK(choose_auto_reply(urgent, policy, bad, own_numbers, std::nullopt, now) == std::nullopt);
  }
  // a formatted number is a phone number
  CHECK(choose_auto_reply(urgent, policy, "(555) 555-0123", own_numbers, std::nullopt, now).has_value());
}

TEST_CASE("auto-reply: at most one per sender per window") {
  const auto policy = policy_with_rules();  // 3600 s
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, now - 1000, now) == std::nullopt);
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, now - 3599999, now) == std::nullopt);
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, now - 3600000, now).has_value());
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, now - 86400000, now).has_value());
}

TEST_CASE("auto-reply: the window is the policy's") {
  auto policy = policy_with_rules();
  policy.auto_reply_window_s = 60;
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, now - 59999, now) == std::nullopt);
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, now - 60000, now).has_value());
}

TEST_CASE("auto-reply: a last reply stamped in the future counts as inside the window") {
  const auto policy = policy_with_rules();
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, now, now) == std::nullopt);
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, now + 5000, now) == std::nullopt);
}

TEST_CASE("auto-reply: extreme timestamps neither overflow nor reply early") {
  const auto policy = policy_with_rules();
  const auto lowest = std::numeric_limits<std::int64_t>::min();
  const auto highest = std::numeric_limits<std::int64_t>::max();
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, lowest, highest).has_value());
  CHECK(choose_auto_reply(urgent, policy, sender, own_numbers, highest, lowest) == std::nullopt);
}

TEST_CASE("auto-reply: a catch-all rule does not answer spam; only a rule that names spam does") {
  TenantPolicy policy;
  policy.auto_reply = {{std::nullopt, std::nullopt, "Thanks, we will get back to you."}};
  const auto spam = labels(Intent::spam, Priority::low);
  CHECK_FALSE(choose_auto_reply(spam, policy, sender, own_numbers, std::nullopt, now));
  CHECK(choose_auto_reply(labels(Intent::question, Priority::normal), policy, sender, own_numbers, std::nullopt, now) ==
        "Thanks, we will get back to you.");
  policy.auto_reply.insert(policy.auto_reply.begin(), AutoReplyRule{std::nullopt, Intent::spam, "Reply STOP to opt out."});
  CHECK(choose_auto_reply(spam, policy, sender, own_numbers, std::nullopt, now) == "Reply STOP to opt out.");
}
