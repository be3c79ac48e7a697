#include "trust.hpp"

#include <algorithm>
#include <boost/json/array.hpp>

#include "../phone.hpp"

namespace frontdesk::reception {
namespace {

// Caller ids providers send when the number is withheld: words, or Twilio's stand-in
// numbers, which spell them on a keypad (ANONYMOUS, RESTRICTED, UNKNOWN, BLOCKED,
// UNAVAILABLE) and would otherwise pass for real numbers.
bool withheld(std::string_view caller) {
  std::string lower(caller);
  for (auto& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (lower == "anonymous" || lower == "private" || lower == "restricted" || lower == "unknown" ||
      lower == "unavailable" || lower == "blocked") {
    return true;
  }
  const std::string_view digits = !lower.empty() && lower.front() == '+' ? std::string_view(lower).substr(1) : lower;
  return digits == "266696687" || digits == "7378742833" || digits == "8656696" || digits == "2562533" ||
         digits == "86282452253";
}

std::string caller_problem(std::string_view caller) {
  if (caller.empty()) return "no caller id";
  if (withheld(caller)) return "caller id withheld: " + std::string(caller);
  // Cut so a hostile caller id cannot bloat every audit entry.
  return "invalid caller id: " + std::string(caller.substr(0, 32));
}

// count × per_call, no bigger in magnitude than cap; 64-bit so a huge count cannot overflow.
int capped(std::int64_t count, int per_call, int cap) {
  const std::int64_t limit = std::max(cap, 0);
  const std::int64_t total = std::min(count, std::int64_t{1000}) * per_call;
  return static_cast<int>(std::clamp(total, -limit, limit));
}

std::string plural(std::int64_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

TrustFactor attestation_factor(const TrustInputs& inputs, const TrustWeights& weights) {
  const std::string& letter = inputs.attestation;
  // A failed check outweighs whatever attestation the call claimed.
  if (inputs.verified == "false") {
    return {"attestation", weights.verification_failed,
            letter.empty() ? "verification failed" : "attestation " + letter + " failed verification"};
  }
  if (letter.empty()) return {"attestation", weights.attestation_absent, "no STIR/SHAKEN attestation"};
  // A provider that gives the letter without a verdict is taken at its word: the letter is
  // itself the terminating carrier's verification result.
  const std::string how = inputs.verified == "true" ? " verified" : " (verification not reported)";
  if (letter == "A") return {"attestation", weights.attestation_a, "A" + how};
  if (letter == "B") return {"attestation", weights.attestation_b, "B" + how};
  if (letter == "C") return {"attestation", weights.attestation_c, "C" + how};
  return {"attestation", weights.attestation_absent, "unrecognised attestation: " + letter.substr(0, 8)};
}

}  // namespace

std::string_view risk_name(Risk risk) {
  switch (risk) {
    case Risk::low:
      return "low";
    case Risk::medium:
      return "medium";
    case Risk::high:
      return "high";
  }
  return "high";
}

Risk risk_for(int score) {
  if (score >= low_risk_min_score) return Risk::low;
  if (score >= medium_risk_min_score) return Risk::medium;
  return Risk::high;
}

TrustScore compute_trust(const TrustInputs& inputs, const TrustWeights& weights) {
  TrustScore out;
  const auto caller = withheld(inputs.caller) ? std::nullopt : normalize_e164(inputs.caller);
  if (!caller) out.factors.push_back({"caller_id", weights.anonymous, caller_problem(inputs.caller)});
  if (inputs.registry_namespace) {
    out.factors.push_back({"registry", weights.registry, *inputs.registry_namespace});
  }
  if (inputs.allowlisted) out.factors.push_back({"allowlist", weights.allowlist, "on the tenant's allow list"});
  out.factors.push_back(attestation_factor(inputs, weights));
  if (inputs.answered_calls > 0) {
    out.factors.push_back({"answered_history",
                           capped(inputs.answered_calls, weights.answered_call, weights.answered_cap),
                           plural(inputs.answered_calls, "earlier answered call", "earlier answered calls")});
  }
  if (inputs.rejected_calls > 0) {
    out.factors.push_back({"rejected_history",
                           capped(inputs.rejected_calls, weights.rejected_call, weights.rejected_cap),
                           plural(inputs.rejected_calls, "earlier rejected call", "earlier rejected calls")});
  }
  if (inputs.recent_calls >= weights.burst_threshold) {
    out.factors.push_back({"burst", weights.burst,
                           plural(inputs.recent_calls, "call", "calls") + " in the last " +
                               std::to_string(weights.burst_window_s) + " s"});
  }

  std::int64_t total = weights.base;
  for (const auto& factor : out.factors) total += factor.points;
  out.score = static_cast<int>(std::clamp(total, std::int64_t{0}, std::int64_t{100}));
  if (inputs.blocklisted) {
    out.factors.push_back({"blocklist", -out.score, "on the tenant's block list"});
    out.score = 0;
  }
  out.risk = risk_for(out.score);
  return out;
}

boost::json::object trust_to_json(const TrustScore& trust) {
  boost::json::object out;
  out["score"] = trust.score;
  out["risk"] = risk_name(trust.risk);
  boost::json::array factors;
  for (const auto& factor : trust.factors) {
    boost::json::object entry;
    entry["name"] = factor.name;
    entry["points"] = factor.points;
    entry["detail"] = factor.detail;
    factors.push_back(std::move(entry));
  }
  out["factors"] = std::move(factors);
  return out;
}

}  // namespace frontdesk::reception
