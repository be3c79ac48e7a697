#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/reception/policy.hpp"

using namespace frontdesk;
using namespace frontdesk::reception;

namespace {

boost::json::object tenant(std::string_view text) {
  auto value = boost::json::parse(text);
  const auto* object = value.if_object();
  REQUIRE(object);
  return *object;
}

Result<TenantPolicy> parse(std::string_view text) { return parse_policy(tenant(text)); }

// The error a bad tenant document gives: it must be invalid_field.
std::string invalid_message(std::string_view text) {
  const auto policy = parse(text);
  REQUIRE_FALSE(policy.ok());
  CHECK(policy.error().code == ErrorCode::invalid_field);
  return policy.error().message;
}

}  // namespace

TEST_CASE("policy: an empty tenant gets every default") {
  const auto policy = parse(R"({"numbers":["+18886115384"]})");
  REQUIRE(policy.ok());
  CHECK(policy->screening == ScreeningMode::open);
  CHECK(policy->min_trust == 50);
  CHECK(policy->reject_message == "This number is not taking calls right now.");
  CHECK_FALSE(policy->forward_to);
  CHECK(policy->registry.empty());
  CHECK(policy->allow.empty());
  CHECK(policy->block.empty());
  CHECK(policy->weights == TrustWeights{});
  CHECK(policy->keywords == default_keywords());
  CHECK(policy->auto_reply.empty());
  CHECK(policy->auto_reply_window_s == 3600);
}

TEST_CASE("policy: SPEC's example tenant reads with its numbers normalized") {
  const auto policy = parse(R"({
      "numbers": ["+18886115384", "1-888-474-TREE"],
      "registry": {"+15555550123": "alice.x", "1 (555) 555-0125": "bob.x"},
      "allow": ["+15555550124", "555-555-0127"],
      "block": ["+15555550666"],
      "policy": {"screening": "known-only", "reject_message": "This number only takes calls from verified callers.",
                 "forward_to": "1-555-555-0100"}})");
  REQUIRE(policy.ok());
  CHECK(policy->screening == ScreeningMode::known_only);
  CHECK(policy->reject_message == "This number only takes calls from verified callers.");
  CHECK(policy->forward_to == "+15555550100");
  CHECK(policy->registry ==
        std::map<std::string, std::string, std::less<>>{{"+15555550123", "alice.x"}, {"+15555550125", "bob.x"}});
  CHECK(policy->allow == std::set<std::string, std::less<>>{"+15555550124", "+15555550127"});
  CHECK(policy->block == std::set<std::string, std::less<>>{"+15555550666"});
}

TEST_CASE("policy: each screening mode and min_trust read") {
  CHECK(parse(R"({"policy":{"screening":"open"}})")->screening == ScreeningMode::open);
  CHECK(parse(R"({"policy":{"screening":"known-only"}})")->screening == ScreeningMode::known_only);
  const auto trust = parse(R"({"policy":{"screening":"trust","min_trust":65}})");
  REQUIRE(trust.ok());
  CHECK(trust->screening == ScreeningMode::trust);
  CHECK(trust->min_trust == 65);
  CHECK(parse(R"({"policy":{"min_trust":0}})")->min_trust == 0);
  CHECK(parse(R"({"policy":{"min_trust":100}})")->min_trust == 100);
  CHECK(screening_mode_name(ScreeningMode::known_only) == "known-only");
}

TEST_CASE("policy: null reads as not set") {
  const auto policy = parse(R"({"registry":null,"policy":{"forward_to":null,"min_trust":null}})");
  REQUIRE(policy.ok());
  CHECK_FALSE(policy->forward_to);
  CHECK(policy->min_trust == 50);
}

TEST_CASE("policy: weights override the defaults by name and leave the rest") {
  const auto policy = parse(R"({"policy":{"weights":{"registry":25,"burst":-50,"burst_threshold":5,
      "burst_window_s":120,"answered_cap":10,"base":40}}})");
  REQUIRE(policy.ok());
  TrustWeights expected;
  expected.registry = 25;
  expected.burst = -50;
  expected.burst_threshold = 5;
  expected.burst_window_s = 120;
  expected.answered_cap = 10;
  expected.base = 40;
  CHECK(policy->weights == expected);
}

TEST_CASE("policy: every weight name is accepted") {
  for (const auto& [name, field] : weight_fields) {
    boost::json::object weights;
    weights[name] = 1;
    boost::json::object body;
    body["weights"] = weights;
    boost::json::object raw;
    raw["policy"] = body;
    const auto policy = parse_policy(raw);
    INFO(name);
    REQUIRE(policy.ok());
    CHECK(policy->weights.*field == 1);
  }
}

TEST_CASE("policy: keywords replace one intent's list and leave the others") {
  const auto policy = parse(R"({"policy":{"keywords":{"emergency":["help","no power"],"negative":["meh"]}}})");
  REQUIRE(policy.ok());
  auto expected = default_keywords();
  expected.intents[static_cast<std::size_t>(Intent::emergency)] = {"help", "no power"};
  expected.negative = {"meh"};
  CHECK(policy->keywords == expected);
}

TEST_CASE("policy: auto_reply rules with priority, intent or no condition, and the window") {
  const auto policy = parse(R"({"policy":{"auto_reply":[
      {"when":{"priority":"urgent"},"text":"We got your urgent message."},
      {"when":{"intent":"booking","priority":"normal"},"text":"Book at example.com."},
      {"when":{},"text":"Thanks, we'll reply soon."},
      {"text":"No when at all."}],
      "auto_reply_window_s":600}})");
  REQUIRE(policy.ok());
  CHECK(policy->auto_reply == std::vector<AutoReplyRule>{
                                  {Priority::urgent, std::nullopt, "We got your urgent message."},
                                  {Priority::normal, Intent::booking, "Book at example.com."},
                                  {std::nullopt, std::nullopt, "Thanks, we'll reply soon."},
                                  {std::nullopt, std::nullopt, "No when at all."},
                              });
  CHECK(policy->auto_reply_window_s == 600);
}

TEST_CASE("policy: bad registry, allow and block entries are invalid_field naming the entry") {
  CHECK(invalid_message(R"({"registry":["+15555550123"]})") == "registry: must be an object of phone → namespace");
  CHECK(invalid_message(R"({"registry":{"not a phone":"alice.x"}})") ==
        "registry.not a phone: key is not a phone number");
  CHECK(invalid_message(R"({"registry":{"+15555550123":""}})") ==
        "registry.+15555550123: must be a namespace (a non-empty string)");
  CHECK(invalid_message(R"({"registry":{"+15555550123":7}})") ==
        "registry.+15555550123: must be a namespace (a non-empty string)");
  CHECK(invalid_message(R"({"registry":{"+15555550123":"alice.x","1-555-555-0123":"eve.x"}})") ==
        "registry.1-555-555-0123: conflicts with another entry for +15555550123");
  CHECK(invalid_message(R"({"allow":"+15555550124"})") == "allow: must be a list of phone numbers");
  CHECK(invalid_message(R"({"allow":["+15555550124","12"]})") == R"(allow[1]: "12" is not a phone number)");
  CHECK(invalid_message(R"({"block":[15555550666]})") == "block[0]: 15555550666 is not a phone number");
}

TEST_CASE("policy: bad policy settings are invalid_field naming the setting") {
  CHECK(invalid_message(R"({"policy":"strict"})") == "policy: must be an object");
  CHECK(invalid_message(R"({"policy":{"screenig":"trust"}})") == "policy.screenig: unknown setting");
  CHECK(invalid_message(R"({"policy":{"screening":"closed"}})") ==
        "policy.screening: must be one of open, known-only, trust");
  CHECK(invalid_message(R"({"policy":{"screening":1}})") == "policy.screening: must be one of open, known-only, trust");
  CHECK(invalid_message(R"({"policy":{"min_trust":101}})") == "policy.min_trust: must be an integer from 0 to 100");
  CHECK(invalid_message(R"({"policy":{"min_trust":-1}})") == "policy.min_trust: must be an integer from 0 to 100");
  CHECK(invalid_message(R"({"policy":{"min_trust":50.5}})") == "policy.min_trust: must be an integer from 0 to 100");
  CHECK(invalid_message(R"({"policy":{"min_trust":"50"}})") == "policy.min_trust: must be an integer from 0 to 100");
  CHECK(invalid_message(R"({"policy":{"reject_message":""}})") == "policy.reject_message: must be a non-empty string");
  CHECK(invalid_message(R"({"policy":{"forward_to":"reception"}})") ==
        R"(policy.forward_to: "reception" is not a phone number)");
  CHECK(invalid_message(R"({"policy":{"auto_reply_window_s":0}})") ==
        "policy.auto_reply_window_s: must be an integer from 1 to 31536000");
}

TEST_CASE("policy: bad weights are invalid_field naming the weight") {
  CHECK(invalid_message(R"({"policy":{"weights":[]}})") ==
        "policy.weights: must be an object of weight name → integer");
  CHECK(invalid_message(R"({"policy":{"weights":{"karma":5}}})") == "policy.weights.karma: unknown weight");
  CHECK(invalid_message(R"({"policy":{"weights":{"registry":101}}})") ==
        "policy.weights.registry: must be an integer from -100 to 100");
  CHECK(invalid_message(R"({"policy":{"weights":{"registry":"40"}}})") ==
        "policy.weights.registry: must be an integer from -100 to 100");
  CHECK(invalid_message(R"({"policy":{"weights":{"base":-1}}})") ==
        "policy.weights.base: must be an integer from 0 to 100");
  CHECK(invalid_message(R"({"policy":{"weights":{"rejected_cap":-30}}})") ==
        "policy.weights.rejected_cap: must be an integer from 0 to 100");
  CHECK(invalid_message(R"({"policy":{"weights":{"burst_threshold":0}}})") ==
        "policy.weights.burst_threshold: must be an integer from 1 to 1000");
  CHECK(invalid_message(R"({"policy":{"weights":{"burst_window_s":0}}})") ==
        "policy.weights.burst_window_s: must be an integer from 1 to 86400");
}

TEST_CASE("policy: bad keywords are invalid_field naming the list or entry") {
  CHECK(invalid_message(R"({"policy":{"keywords":["flood"]}})") ==
        "policy.keywords: must be an object of intent → list of keywords");
  CHECK(invalid_message(R"({"policy":{"keywords":{"other":["x"]}}})") ==
        "policy.keywords.other: unknown list (an intent other than other, or positive/negative)");
  CHECK(invalid_message(R"({"policy":{"keywords":{"weather":["x"]}}})") ==
        "policy.keywords.weather: unknown list (an intent other than other, or positive/negative)");
  CHECK(invalid_message(R"({"policy":{"keywords":{"spam":"crypto"}}})") ==
        "policy.keywords.spam: must be a list of keywords");
  CHECK(invalid_message(R"({"policy":{"keywords":{"spam":["crypto","!!"]}}})") ==
        "policy.keywords.spam[1]: must be a keyword with letters or digits");
  CHECK(invalid_message(R"({"policy":{"keywords":{"spam":[3]}}})") ==
        "policy.keywords.spam[0]: must be a keyword with letters or digits");
}

TEST_CASE("policy: bad auto_reply rules are invalid_field naming the rule's field") {
  CHECK(invalid_message(R"({"policy":{"auto_reply":{}}})") == "policy.auto_reply: must be a list of rules");
  CHECK(invalid_message(R"({"policy":{"auto_reply":["hi"]}})") ==
        "policy.auto_reply[0]: must be an object with when and text");
  CHECK(invalid_message(R"({"policy":{"auto_reply":[{"text":"a"},{"when":{}}]}})") ==
        "policy.auto_reply[1].text: is required");
  CHECK(invalid_message(R"({"policy":{"auto_reply":[{"when":{},"text":""}]}})") ==
        "policy.auto_reply[0].text: must be a non-empty string");
  CHECK(invalid_message(R"({"policy":{"auto_reply":[{"when":"urgent","text":"a"}]}})") ==
        "policy.auto_reply[0].when: must be an object");
  CHECK(invalid_message(R"({"policy":{"auto_reply":[{"when":{"priority":"critical"},"text":"a"}]}})") ==
        "policy.auto_reply[0].when.priority: must be one of urgent, high, normal, low");
  CHECK(invalid_message(R"({"policy":{"auto_reply":[{"when":{"intent":"sales"},"text":"a"}]}})") ==
        "policy.auto_reply[0].when.intent: must be one of booking, maintenance, emergency, billing, cancellation, "
        "question, spam, other");
  CHECK(invalid_message(R"({"policy":{"auto_reply":[{"when":{"sentiment":"negative"},"text":"a"}]}})") ==
        "policy.auto_reply[0].when.sentiment: unknown condition (priority or intent)");
  CHECK(invalid_message(R"({"policy":{"auto_reply":[{"when":{},"text":"a","to":"x"}]}})") ==
        "policy.auto_reply[0].to: unknown field");
}
