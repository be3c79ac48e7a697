#include "screening.hpp"

#include "../json.hpp"
#include "../phone.hpp"

namespace frontdesk::reception {
namespace {

Action let_through(const TenantPolicy& policy) {
  if (policy.forward_to) return {ActionKind::forward, *policy.forward_to, {}};
  return {ActionKind::answer, {}, {}};
}

Decision rejected(std::string reason, const TenantPolicy& policy) {
  Decision decision;
  decision.outcome = Outcome::rejected;
  decision.reason = std::move(reason);
  decision.action = {ActionKind::reject_with_message, {}, policy.reject_message};
  return decision;
}

Decision by_mode(const TrustScore& trust, const TenantPolicy& policy) {
  Decision screened;
  screened.outcome = Outcome::screened;
  screened.score = trust.score;
  screened.action = let_through(policy);
  switch (policy.screening) {
    case ScreeningMode::open:
      return screened;
    case ScreeningMode::known_only:
      return rejected("not a known caller", policy);
    case ScreeningMode::trust:
      if (trust.score >= policy.min_trust) return screened;
      return rejected("trust score " + std::to_string(trust.score) + " below " + std::to_string(policy.min_trust),
                      policy);
  }
  return rejected("unknown screening mode", policy);
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::authenticated:
      return "authenticated";
    case Outcome::allowlisted:
      return "allowlisted";
    case Outcome::blocked:
      return "blocked";
    case Outcome::screened:
      return "screened";
    case Outcome::rejected:
      return "rejected";
  }
  return "rejected";
}

std::string_view action_name(ActionKind action) {
  switch (action) {
    case ActionKind::answer:
      return "answer";
    case ActionKind::forward:
      return "forward";
    case ActionKind::reject_with_message:
      return "reject_with_message";
    case ActionKind::reject:
      return "reject";
  }
  return "reject";
}

Decision screen(const ScreeningInput& input, const TenantPolicy& policy) {
  // Lists are keyed by E.164; a caller id that is not a number is on none of them.
  const std::string caller = normalize_e164(input.caller).value_or(std::string{});
  const bool known = !caller.empty();
  const auto registered = known ? policy.registry.find(caller) : policy.registry.end();

  TrustInputs facts;
  facts.caller = input.caller;
  if (input.directory) {
    if (known) {
      facts.registry_namespace = input.directory->registry_namespace;
      facts.allowlisted = input.directory->allowlisted;
      facts.blocklisted = input.directory->blocklisted;
    }
  } else {
    if (registered != policy.registry.end()) facts.registry_namespace = registered->second;
    facts.allowlisted = known && policy.allow.count(caller) > 0;
    facts.blocklisted = known && policy.block.count(caller) > 0;
  }
  facts.attestation = input.attestation;
  facts.verified = input.verified;
  facts.answered_calls = input.answered_calls;
  facts.rejected_calls = input.rejected_calls;
  facts.recent_calls = input.recent_calls;
  TrustScore trust = compute_trust(facts, policy.weights);

  Decision decision;
  if (facts.blocklisted) {
    decision.outcome = Outcome::blocked;
    decision.action = {ActionKind::reject, {}, {}};
  } else if (facts.registry_namespace) {
    decision.outcome = Outcome::authenticated;
    decision.identity_namespace = *facts.registry_namespace;
    decision.action = let_through(policy);
  } else if (facts.allowlisted) {
    decision.outcome = Outcome::allowlisted;
    decision.action = let_through(policy);
  } else {
    decision = by_mode(trust, policy);
  }
  decision.trust = std::move(trust);
  return decision;
}

boost::json::object decision_to_json(const Decision& decision) {
  boost::json::object out;
  out["outcome"] = outcome_name(decision.outcome);
  if (decision.outcome == Outcome::authenticated) out["namespace"] = decision.identity_namespace;
  if (decision.outcome == Outcome::screened) out["score"] = decision.score;
  if (decision.outcome == Outcome::rejected) out["reason"] = decision.reason;
  out["action"] = action_name(decision.action.kind);
  if (decision.action.kind == ActionKind::forward) out["forward_to"] = decision.action.to;
  if (decision.action.kind == ActionKind::reject_with_message) out["message"] = decision.action.text;
  out["trust"] = trust_to_json(decision.trust);
  return out;
}

}  // namespace frontdesk::reception

namespace frontdesk::reception {

std::optional<Decision> decision_from_json(const boost::json::object& object) {
  const auto text = [&](std::string_view field) { return field_text(object, field); };
  Decision decision;
  const auto outcome = text("outcome");
  bool known_outcome = false;
  for (const auto candidate :
       {Outcome::authenticated, Outcome::allowlisted, Outcome::blocked, Outcome::screened, Outcome::rejected}) {
    if (outcome_name(candidate) == outcome) {
      decision.outcome = candidate;
      known_outcome = true;
    }
  }
  if (!known_outcome) return std::nullopt;
  const auto action = text("action");
  bool known_action = false;
  for (const auto candidate :
       {ActionKind::answer, ActionKind::forward, ActionKind::reject_with_message, ActionKind::reject}) {
    if (action_name(candidate) == action) {
      decision.action.kind = candidate;
      known_action = true;
    }
  }
  if (!known_action) return std::nullopt;
  decision.identity_namespace = text("namespace");
  decision.reason = text("reason");
  if (const auto* score = object.if_contains("score"); score && score->is_int64()) {
    decision.score = static_cast<int>(score->get_int64());
  }
  decision.action.to = text("forward_to");
  decision.action.text = text("message");
  if (decision.action.kind == ActionKind::forward && decision.action.to.empty()) return std::nullopt;
  return decision;
}

}  // namespace frontdesk::reception
