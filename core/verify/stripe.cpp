// Stripe: Stripe-Signature "t=<s>,v1=<hex>[,v1=…]" over "<t>.<body>", HMAC-SHA256 keyed
// with the whsec_ string itself. Only timestamps too old are refused (Stripe's own rule).
#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
#include "common.hpp"
#include "verify.hpp"

namespace frontdesk::verify {

Result<Verified> verify_stripe(const SourceConfig& source, const Request& request, std::int64_t now_ms) {
  const auto header = request.headers.get("stripe-signature");
  if (!header) return missing_signature("Stripe-Signature header");
  std::string_view timestamp_text;
  std::vector<std::string> signatures;
  for (const auto item : split(*header, ',')) {
    const auto pair = trim(item);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const auto key = pair.substr(0, eq);
    const auto value = pair.substr(eq + 1);
    if (key == "t") timestamp_text = value;
    if (key == "v1") {
      if (auto bytes = hex_decode(value); bytes && bytes->size() == 32) signatures.push_back(std::move(*bytes));
    }
  }
  if (timestamp_text.empty() || signatures.empty()) return bad_signature("Stripe-Signature holds no usable entry");
  const auto timestamp = parse_timestamp(timestamp_text);
  if (!timestamp) return bad_signature("Stripe-Signature timestamp is not a number");
  if (now_ms - *timestamp * 1000 > source.tolerance_s * 1000) return stale_timestamp();

  const auto signed_bytes = std::string(timestamp_text) + "." + request.body;
  bool matched = false;
  for (const auto& secret : source.secrets) {
    const auto expected = crypto::hmac_sha256(secret, signed_bytes);
    for (const auto& signature : signatures) {
      matched |= crypto::constant_time_equal(crypto::bytes_of(expected), signature);
    }
  }
  if (!matched) return bad_signature("signature does not match");
  return Verified{};
}

}  // namespace frontdesk::verify
