#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/reception/trust.hpp"

using namespace frontdesk::reception;

namespace {

// A caller with a valid number and a verified A attestation, and nothing else known.
TrustInputs plain_caller() {
  TrustInputs inputs;
  inputs.caller = "+15555550199";
  inputs.attestation = "A";
  inputs.verified = "true";
  return inputs;
}

bool has_factor(const TrustScore& trust, std::string_view name) {
  for (const auto& f : trust.factors) {
    if (f.name == name) return true;
  }
  return false;
}

// The named factor; the test stops when it is missing.
TrustFactor factor(const TrustScore& trust, std::string_view name) {
  for (const auto& f : trust.factors) {
    if (f.name == name) return f;
  }
  FAIL("no factor " << name);
  return {};
}

}  // namespace

TEST_CASE("trust: a plain caller with verified A attestation starts at 50 and gains 20") {
  const auto trust = compute_trust(plain_caller(), {});
  CHECK(trust.score == 70);
  CHECK(trust.risk == Risk::low);
  REQUIRE(trust.factors.size() == 1);
  CHECK(trust.factors[0] == TrustFactor{"attestation", 20, "A verified"});
}

TEST_CASE("trust: each STIR/SHAKEN case has its points and detail") {
  struct Case {
    std::string attestation, verified;
    int points;
    std::string detail;
  };
  const std::vector<Case> cases{
      {"A", "true", 20, "A verified"},
      {"B", "true", 10, "B verified"},
      {"C", "true", 0, "C verified"},
      {"A", "", 20, "A (verification not reported)"},
      {"A", "false", -30, "attestation A failed verification"},
      {"", "false", -30, "verification failed"},
      {"", "", -10, "no STIR/SHAKEN attestation"},
      {"", "true", -10, "no STIR/SHAKEN attestation"},
      {"X", "true", -10, "unrecognised attestation: X"},
  };
  for (const auto& c : cases) {
    auto inputs = plain_caller();
    inputs.attestation = c.attestation;
    inputs.verified = c.verified;
    const auto trust = compute_trust(inputs, {});
    INFO(c.attestation << "/" << c.verified);
    REQUIRE(trust.factors.size() == 1);
    CHECK(trust.factors[0] == TrustFactor{"attestation", c.points, c.detail});
    CHECK(trust.score == 50 + c.points);
  }
}

TEST_CASE("trust: a registry namespace adds 40 with the namespace as detail") {
  auto inputs = plain_caller();
  inputs.registry_namespace = "alice.x";
  const auto trust = compute_trust(inputs, {});
  CHECK(trust.score == 100);  // 50 + 40 + 20 = 110, clamped
  CHECK(factor(trust, "registry") == TrustFactor{"registry", 40, "alice.x"});
}

TEST_CASE("trust: the allow list adds 30") {
  auto inputs = plain_caller();
  inputs.attestation = "C";
  inputs.allowlisted = true;
  const auto trust = compute_trust(inputs, {});
  CHECK(trust.score == 80);
  CHECK(factor(trust, "allowlist") == TrustFactor{"allowlist", 30, "on the tenant's allow list"});
}

TEST_CASE("trust: the block list sets the score to 0 and records what it took away") {
  auto inputs = plain_caller();
  inputs.registry_namespace = "alice.x";
  inputs.blocklisted = true;
  const auto trust = compute_trust(inputs, {});
  CHECK(trust.score == 0);
  CHECK(trust.risk == Risk::high);
  REQUIRE(trust.factors.size() == 3);
  CHECK(trust.factors.back() == TrustFactor{"blocklist", -100, "on the tenant's block list"});
}

TEST_CASE("trust: earlier answered calls add 5 each, at most 20") {
  auto inputs = plain_caller();
  inputs.attestation = "C";
  inputs.answered_calls = 1;
  CHECK(factor(compute_trust(inputs, {}), "answered_history") ==
        TrustFactor{"answered_history", 5, "1 earlier answered call"});
  inputs.answered_calls = 3;
  CHECK(factor(compute_trust(inputs, {}), "answered_history").points == 15);
  inputs.answered_calls = 9;
  const auto capped = compute_trust(inputs, {});
  CHECK(factor(capped, "answered_history") == TrustFactor{"answered_history", 20, "9 earlier answered calls"});
  CHECK(capped.score == 70);
  inputs.answered_calls = 0;
  CHECK_FALSE(has_factor(compute_trust(inputs, {}), "answered_history"));
}

TEST_CASE("trust: earlier rejections take 10 each, at most 30") {
  auto inputs = plain_caller();
  inputs.attestation = "C";
  inputs.rejected_calls = 2;
  CHECK(factor(compute_trust(inputs, {}), "rejected_history") ==
        TrustFactor{"rejected_history", -20, "2 earlier rejected calls"});
  inputs.rejected_calls = 1000000000000;  // huge counts neither overflow nor pass the cap
  const auto capped = compute_trust(inputs, {});
  CHECK(factor(capped, "rejected_history").points == -30);
  CHECK(capped.score == 20);
}

TEST_CASE("trust: three or more calls in the burst window take 25") {
  auto inputs = plain_caller();
  inputs.recent_calls = 2;
  CHECK_FALSE(has_factor(compute_trust(inputs, {}), "burst"));
  inputs.recent_calls = 3;
  const auto trust = compute_trust(inputs, {});
  CHECK(factor(trust, "burst") == TrustFactor{"burst", -25, "3 calls in the last 600 s"});
  CHECK(trust.score == 45);
  CHECK(trust.risk == Risk::medium);
}

TEST_CASE("trust: an anonymous, missing or invalid caller id takes 40") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "no caller id"},
      {"Anonymous", "caller id withheld: Anonymous"},
      {"restricted", "caller id withheld: restricted"},
      {"+266696687", "caller id withheld: +266696687"},  // Twilio's stand-in for ANONYMOUS
      {"+7378742833", "caller id withheld: +7378742833"},  // … RESTRICTED
      {"+8656696", "caller id withheld: +8656696"},  // … UNKNOWN
      {"12", "invalid caller id: 12"},
      {"sip:someone@example.com", "invalid caller id: sip:someone@example.com"},
  };
  for (const auto& [caller, detail] : cases) {
    auto inputs = plain_caller();
    inputs.caller = caller;
    const auto trust = compute_trust(inputs, {});
    INFO(caller);
    CHECK(trust.factors.front() == TrustFactor{"caller_id", -40, detail});
    CHECK(trust.score == 30);
  }
  auto formatted = plain_caller();
  formatted.caller = "+1 (555) 555-0199";  // formatting is not a problem: it is a number
  CHECK_FALSE(has_factor(compute_trust(formatted, {}), "caller_id"));
}

TEST_CASE("trust: the score is clamped to 0–100") {
  auto low = plain_caller();
  low.caller = "anonymous";
  low.attestation = "";
  low.verified = "false";
  low.rejected_calls = 5;
  low.recent_calls = 10;
  const auto trust = compute_trust(low, {});
  CHECK(trust.score == 0);  // 50 - 40 - 30 - 30 - 25 = -75
  CHECK(trust.factors.size() == 4);
}

TEST_CASE("trust: risk bands are low from 70, medium from 40, high below") {
  CHECK(risk_for(100) == Risk::low);
  CHECK(risk_for(70) == Risk::low);
  CHECK(risk_for(69) == Risk::medium);
  CHECK(risk_for(40) == Risk::medium);
  CHECK(risk_for(39) == Risk::high);
  CHECK(risk_for(0) == Risk::high);
  CHECK(risk_name(Risk::medium) == "medium");
}

TEST_CASE("trust: factors come in a fixed order whatever applies") {
  TrustInputs inputs;
  inputs.caller = "";
  inputs.registry_namespace = "bob.x";
  inputs.allowlisted = true;
  inputs.blocklisted = true;
  inputs.answered_calls = 1;
  inputs.rejected_calls = 1;
  inputs.recent_calls = 5;
  const auto trust = compute_trust(inputs, {});
  std::vector<std::string> names;
  for (const auto& f : trust.factors) names.push_back(f.name);
  CHECK(names == std::vector<std::string>{"caller_id", "registry", "allowlist", "attestation", "answered_history",
                                          "rejected_history", "burst", "blocklist"});
  // 50 - 40 + 40 + 30 - 10 + 5 - 10 - 25 = 40 before the block list took it.
  CHECK(trust.factors.back().points == -40);
  CHECK(compute_trust(inputs, {}) == trust);
}

TEST_CASE("trust: weights change every factor's points, the base and the burst threshold") {
  TrustWeights weights;
  weights.base = 10;
  weights.registry = 60;
  weights.attestation_a = 5;
  weights.answered_call = 2;
  weights.answered_cap = 3;
  weights.burst = -1;
  weights.burst_threshold = 10;
  weights.burst_window_s = 60;
  auto inputs = plain_caller();
  inputs.registry_namespace = "alice.x";
  inputs.answered_calls = 4;
  inputs.recent_calls = 9;
  auto trust = compute_trust(inputs, weights);
  CHECK(trust.score == 78);  // 10 + 60 + 5 + 3
  CHECK_FALSE(has_factor(trust, "burst"));
  inputs.recent_calls = 10;
  trust = compute_trust(inputs, weights);
  CHECK(factor(trust, "burst") == TrustFactor{"burst", -1, "10 calls in the last 60 s"});
  CHECK(trust.score == 77);
}

TEST_CASE("trust: JSON lists score, risk and each factor") {
  auto inputs = plain_caller();
  inputs.attestation = "C";
  inputs.registry_namespace = "alice.x";
  CHECK(boost::json::serialize(trust_to_json(compute_trust(inputs, {}))) ==
        R"({"score":90,"risk":"low","factors":[{"name":"registry","points":40,"detail":"alice.x"},)"
        R"({"name":"attestation","points":0,"detail":"C verified"}]})");
}
