#pragma once
// Screening: who is calling and what the pipeline does about it. Pure; the pipeline brings
// the caller's history and carries out the action.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "policy.hpp"
#include "trust.hpp"

namespace frontdesk::reception {

// What the tenant's directory (registry and lists, as stored in its ledger) says of a caller.
struct DirectoryFacts {
  std::optional<std::string> registry_namespace;
  bool allowlisted = false;
  bool blocklisted = false;
};

struct ScreeningInput {
  std::string caller;               // the From number as received (Event::from)
  std::string attestation;          // Event::stir_attestation
  std::string verified;             // Event::stir_verified
  std::int64_t answered_calls = 0;  // earlier answered calls from this caller
  std::int64_t rejected_calls = 0;  // earlier rejected calls from this caller
  // Calls from this caller in the last policy.weights.burst_window_s seconds, this one included.
  std::int64_t recent_calls = 0;
  // The stored directory, edits included; when absent the policy's configured registry,
  // allow and block lists are read instead.
  std::optional<DirectoryFacts> directory;
};

enum class Outcome { authenticated, allowlisted, blocked, screened, rejected };
enum class ActionKind {
  answer,
  forward,              // to Action::to
  reject_with_message,  // speak Action::text, then hang up
  reject,               // never answered, so the caller is not charged
};

std::string_view outcome_name(Outcome outcome);
std::string_view action_name(ActionKind action);

struct Action {
  ActionKind kind = ActionKind::answer;
  std::string to;    // forward only: E.164
  std::string text;  // reject_with_message only
  bool operator==(const Action&) const = default;
};

struct Decision {
  Outcome outcome = Outcome::rejected;
  std::string identity_namespace;  // authenticated only
  int score = 0;                   // screened only (the trust score)
  std::string reason;              // rejected only
  Action action;
  TrustScore trust;  // always: every decision carries its reasons (SPEC Invariant 5)
  bool operator==(const Decision&) const = default;
};

// In order: the block list wins over everything; then the registry (authenticated), then
// the allow list (allowlisted); anyone else by the policy's mode: open lets them through
// (screened), known-only rejects them, trust lets them through when the score reaches
// min_trust. Let through is `answer`, or `forward` when the policy has forward_to; rejected
// is `reject_with_message` with the policy's reject_message; blocked is `reject`.
Decision screen(const ScreeningInput& input, const TenantPolicy& policy);

// {"outcome":"authenticated","namespace":"alice.x","action":"answer","trust":{…}}; the
// outcome's field is "namespace", "score" or "reason", and the action's "forward_to" or
// "message", each only where it applies.
boost::json::object decision_to_json(const Decision& decision);
// What the pipeline acts on, back from decision_to_json's form: outcome, its field and the
// action (the trust score is kept as stored, not rebuilt). nullopt when it is not one.
std::optional<Decision> decision_from_json(const boost::json::object& object);

}  // namespace frontdesk::reception
