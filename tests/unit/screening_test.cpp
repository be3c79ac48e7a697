#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/reception/screening.hpp"

using namespace frontdesk;
using namespace frontdesk::reception;

namespace {

constexpr std::string_view alice = "+15555550123";     // in the registry
constexpr std::string_view friendly = "+15555550124";  // on the allow list
constexpr std::string_view spammer = "+15555550666";   // on the block list
constexpr std::string_view stranger = "+15555550199";  // on nothing

TenantPolicy policy(ScreeningMode mode) {
  TenantPolicy p;
  p.screening = mode;
  p.registry = {{std::string(alice), "alice.x"}};
  p.allow = {std::string(friendly)};
  p.block = {std::string(spammer)};
  p.reject_message = "Verified callers only.";
  return p;
}

ScreeningInput call_from(std::string_view caller, std::string attestation = "A") {
  ScreeningInput input;
  input.caller = std::string(caller);
  input.attestation = std::move(attestation);
  input.verified = "true";
  return input;
}

std::string json(const Decision& decision) { return boost::json::serialize(decision_to_json(decision)); }

}  // namespace

TEST_CASE("screening: a registry caller is authenticated with its namespace and answered") {
  const auto decision = screen(call_from(alice, "C"), policy(ScreeningMode::known_only));
  CHECK(decision.outcome == Outcome::authenticated);
  CHECK(decision.identity_namespace == "alice.x");
  CHECK(decision.action == Action{ActionKind::answer, {}, {}});
  CHECK(decision.trust.score == 90);
  CHECK(json(decision) ==
        R"({"outcome":"authenticated","namespace":"alice.x","action":"answer","trust":{"score":90,"risk":"low",)"
        R"("factors":[{"name":"registry","points":40,"detail":"alice.x"},)"
        R"({"name":"attestation","points":0,"detail":"C verified"}]}})");
}

TEST_CASE("screening: the registry matches whatever way the caller number is written") {
  const auto decision = screen(call_from("1 (555) 555-0123"), policy(ScreeningMode::known_only));
  CHECK(decision.outcome == Outcome::authenticated);
  CHECK(decision.identity_namespace == "alice.x");
}

TEST_CASE("screening: an allow-listed caller is let through") {
  const auto decision = screen(call_from(friendly), policy(ScreeningMode::known_only));
  CHECK(decision.outcome == Outcome::allowlisted);
  CHECK(decision.action.kind == ActionKind::answer);
  CHECK(decision.trust.factors.front().name == "allowlist");
  CHECK(json(decision).rfind(R"({"outcome":"allowlisted","action":"answer","trust":{"score":100,)", 0) == 0);
}

TEST_CASE("screening: the block list wins over registry and allow list, and rejects without answering") {
  auto p = policy(ScreeningMode::open);
  p.registry.emplace(std::string(spammer), "mallory.x");
  p.allow.insert(std::string(spammer));
  p.forward_to = "+15555550100";
  const auto decision = screen(call_from(spammer), p);
  CHECK(decision.outcome == Outcome::blocked);
  CHECK(decision.action == Action{ActionKind::reject, {}, {}});
  CHECK(decision.trust.score == 0);
  CHECK(decision.trust.factors.back() == TrustFactor{"blocklist", -100, "on the tenant's block list"});
  CHECK(json(decision).rfind(R"({"outcome":"blocked","action":"reject","trust":{"score":0,"risk":"high",)", 0) == 0);
}

TEST_CASE("screening: open mode screens a stranger and lets them through with the score") {
  const auto decision = screen(call_from(stranger, "B"), policy(ScreeningMode::open));
  CHECK(decision.outcome == Outcome::screened);
  CHECK(decision.score == 60);
  CHECK(decision.action.kind == ActionKind::answer);
  CHECK(json(decision) == R"({"outcome":"screened","score":60,"action":"answer","trust":{"score":60,"risk":"medium",)"
                          R"("factors":[{"name":"attestation","points":10,"detail":"B verified"}]}})");
}

TEST_CASE("screening: open mode lets even an anonymous caller through, with the factor recorded") {
  const auto decision = screen(call_from("anonymous", ""), policy(ScreeningMode::open));
  CHECK(decision.outcome == Outcome::screened);
  CHECK(decision.score == 0);
  CHECK(decision.trust.factors.front().name == "caller_id");
}

TEST_CASE("screening: known-only rejects a stranger with the spoken message") {
  const auto decision = screen(call_from(stranger), policy(ScreeningMode::known_only));
  CHECK(decision.outcome == Outcome::rejected);
  CHECK(decision.reason == "not a known caller");
  CHECK(decision.action == Action{ActionKind::reject_with_message, {}, "Verified callers only."});
  CHECK(decision.trust.score == 70);
  CHECK(json(decision) == R"({"outcome":"rejected","reason":"not a known caller","action":"reject_with_message",)"
                          R"("message":"Verified callers only.","trust":{"score":70,"risk":"low",)"
                          R"("factors":[{"name":"attestation","points":20,"detail":"A verified"}]}})");
}

TEST_CASE("screening: trust mode lets a caller through at min_trust and rejects below it") {
  auto p = policy(ScreeningMode::trust);
  p.min_trust = 60;
  const auto at = screen(call_from(stranger, "B"), p);  // 60
  CHECK(at.outcome == Outcome::screened);
  CHECK(at.score == 60);
  CHECK(at.action.kind == ActionKind::answer);

  const auto below = screen(call_from(stranger, "C"), p);  // 50
  CHECK(below.outcome == Outcome::rejected);
  CHECK(below.reason == "trust score 50 below 60");
  CHECK(below.action == Action{ActionKind::reject_with_message, {}, "Verified callers only."});
}

TEST_CASE("screening: trust mode counts history and bursts") {
  auto p = policy(ScreeningMode::trust);
  auto input = call_from(stranger, "C");
  input.answered_calls = 2;  // +10 → 60
  CHECK(screen(input, p).outcome == Outcome::screened);
  input.recent_calls = 3;  // -25 → 35
  const auto burst = screen(input, p);
  CHECK(burst.outcome == Outcome::rejected);
  CHECK(burst.reason == "trust score 35 below 50");
}

TEST_CASE("screening: trust mode weights from the policy are used") {
  auto p = policy(ScreeningMode::trust);
  p.weights.attestation_c = 10;
  const auto decision = screen(call_from(stranger, "C"), p);
  CHECK(decision.outcome == Outcome::screened);
  CHECK(decision.score == 60);
}

TEST_CASE("screening: a caller let through is forwarded when the policy has forward_to") {
  auto p = policy(ScreeningMode::open);
  p.forward_to = "+15555550100";
  for (const auto caller : {alice, friendly, stranger}) {
    const auto decision = screen(call_from(caller), p);
    INFO(caller);
    CHECK(decision.action == Action{ActionKind::forward, "+15555550100", {}});
  }
  const auto decision = screen(call_from(alice, "C"), p);
  CHECK(json(decision).rfind(R"({"outcome":"authenticated","namespace":"alice.x","action":"forward",)"
                             R"("forward_to":"+15555550100","trust":)",
                             0) == 0);
  // forward_to never lets in a caller the policy rejects.
  p.screening = ScreeningMode::known_only;
  CHECK(screen(call_from(stranger), p).action.kind == ActionKind::reject_with_message);
}

TEST_CASE("screening: an invalid caller id is on no list and is rejected under known-only") {
  auto p = policy(ScreeningMode::known_only);
  const auto decision = screen(call_from("not-a-number"), p);
  CHECK(decision.outcome == Outcome::rejected);
  CHECK(decision.trust.factors.front() == TrustFactor{"caller_id", -40, "invalid caller id: not-a-number"});
}

TEST_CASE("screening: outcome and action names") {
  CHECK(outcome_name(Outcome::authenticated) == "authenticated");
  CHECK(outcome_name(Outcome::allowlisted) == "allowlisted");
  CHECK(outcome_name(Outcome::blocked) == "blocked");
  CHECK(outcome_name(Outcome::screened) == "screened");
  CHECK(outcome_name(Outcome::rejected) == "rejected");
  CHECK(action_name(ActionKind::answer) == "answer");
  CHECK(action_name(ActionKind::forward) == "forward");
  CHECK(action_name(ActionKind::reject_with_message) == "reject_with_message");
  CHECK(action_name(ActionKind::reject) == "reject");
}
