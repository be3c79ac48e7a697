#pragma once
// The trust score of a caller: 0–100, a risk level, and every factor that moved it
// (SPEC Invariant 5: every decision has its reasons). Pure: the pipeline gathers the facts
// (registry, lists, STIR/SHAKEN, history, burst count) and this turns them into a score.
#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace frontdesk::reception {

// How much each fact is worth. Every field can be set by name in the tenant policy's
// `weights` (see policy.hpp); the names are the ones listed in weight_names().
struct TrustWeights {
  int base = 50;                  // where every caller starts
  int registry = 40;              // the number maps to a verified namespace
  int allowlist = 30;             // the tenant listed the number as allowed
  int attestation_a = 20;         // STIR/SHAKEN full attestation, verified
  int attestation_b = 10;         // partial attestation
  int attestation_c = 0;          // gateway attestation: says nothing about the caller
  int verification_failed = -30;  // the signature was checked and did not hold
  int attestation_absent = -10;   // no STIR/SHAKEN at all
  int answered_call = 5;          // per earlier answered call …
  int answered_cap = 20;          // … up to this much in total (a magnitude)
  int rejected_call = -10;        // per earlier rejected call …
  int rejected_cap = 30;          // … up to this much in total (a magnitude)
  int burst = -25;                // many calls from this caller in a short time
  int burst_threshold = 3;        // this many calls in the window is a burst
  int burst_window_s = 600;       // the window the pipeline counts calls in
  int anonymous = -40;            // no usable caller id: anonymous, missing or invalid
  bool operator==(const TrustWeights&) const = default;
};

// The names policy `weights` accepts, each with its field, in TrustWeights' order.
using WeightField = int TrustWeights::*;
inline constexpr std::array<std::pair<std::string_view, WeightField>, 16> weight_fields{{
    {"base", &TrustWeights::base},
    {"registry", &TrustWeights::registry},
    {"allowlist", &TrustWeights::allowlist},
    {"attestation_a", &TrustWeights::attestation_a},
    {"attestation_b", &TrustWeights::attestation_b},
    {"attestation_c", &TrustWeights::attestation_c},
    {"verification_failed", &TrustWeights::verification_failed},
    {"attestation_absent", &TrustWeights::attestation_absent},
    {"answered_call", &TrustWeights::answered_call},
    {"answered_cap", &TrustWeights::answered_cap},
    {"rejected_call", &TrustWeights::rejected_call},
    {"rejected_cap", &TrustWeights::rejected_cap},
    {"burst", &TrustWeights::burst},
    {"burst_threshold", &TrustWeights::burst_threshold},
    {"burst_window_s", &TrustWeights::burst_window_s},
    {"anonymous", &TrustWeights::anonymous},
}};

// Risk bands: low at 70 and above, medium from 40 to 69, high below 40.
inline constexpr int low_risk_min_score = 70;
inline constexpr int medium_risk_min_score = 40;

enum class Risk { low, medium, high };
std::string_view risk_name(Risk risk);
Risk risk_for(int score);

struct TrustFactor {
  std::string name;  // registry, allowlist, blocklist, attestation, answered_history, …
  int points = 0;
  std::string detail;
  bool operator==(const TrustFactor&) const = default;
};

struct TrustScore {
  int score = 0;
  Risk risk = Risk::high;
  // In a fixed order: caller_id, registry, allowlist, attestation, answered_history,
  // rejected_history, burst, blocklist. Only facts that apply are listed, except
  // attestation, which is always there (its absence is itself a factor).
  std::vector<TrustFactor> factors;
  bool operator==(const TrustScore&) const = default;
};

struct TrustInputs {
  std::string caller;  // as received: E.164, or empty/anonymous/invalid
  std::optional<std::string> registry_namespace;
  bool allowlisted = false;
  bool blocklisted = false;
  std::string attestation;          // "A" | "B" | "C" | ""
  std::string verified;             // "true" | "false" | "" (not given)
  std::int64_t answered_calls = 0;  // earlier calls from this caller that were answered
  std::int64_t rejected_calls = 0;  // earlier calls from this caller that were rejected
  // Calls from this caller within the last weights.burst_window_s seconds, this call included.
  std::int64_t recent_calls = 0;
};

// Base plus each factor, clamped to 0–100; a blocklisted caller scores 0 whatever else
// holds, and the blocklist factor's points are what it took away, so the factors still
// explain the score.
TrustScore compute_trust(const TrustInputs& inputs, const TrustWeights& weights);

// {"score":90,"risk":"low","factors":[{"name":"registry","points":40,"detail":"alice.x"},…]}
boost::json::object trust_to_json(const TrustScore& trust);

}  // namespace frontdesk::reception
