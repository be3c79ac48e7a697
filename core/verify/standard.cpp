// Standard Webhooks (Quo's new webhooks, Svix): webhook-id, webhook-timestamp (s),
// webhook-signature "v1,<b64 HMAC-SHA256> v1a,<b64 Ed25519> …" over "<id>.<ts>.<body>".
// svix-* headers are the same scheme under older names.
#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
#include "common.hpp"
#include "verify.hpp"

namespace frontdesk::verify {

Result<Verified> verify_standard(const SourceConfig& source, const Request& request, std::int64_t now_ms) {
  const bool svix = !request.headers.has("webhook-id") && request.headers.has("svix-id");
  const std::string prefix = svix ? "svix-" : "webhook-";
  const auto id = request.headers.get(prefix + "id");
  const auto timestamp_text = request.headers.get(prefix + "timestamp");
  const auto signature_header = request.headers.get(prefix + "signature");
  if (!id || !timestamp_text || !signature_header) {
    return missing_signature(prefix + "id, " + prefix + "timestamp and " + prefix + "signature headers");
  }
  const auto timestamp = parse_timestamp(*timestamp_text);
  if (!timestamp) return bad_signature(prefix + "timestamp is not a number");
  if (!within(*timestamp * 1000, now_ms, source.tolerance_s)) return stale_timestamp();

  const auto signed_bytes = std::string(*id) + "." + std::string(*timestamp_text) + "." + request.body;
  bool usable = false;
  bool matched = false;
  for (const auto entry : split(*signature_header, ' ')) {
    const auto comma = entry.find(',');
    if (comma == std::string_view::npos) continue;
    const auto version = entry.substr(0, comma);
    const auto signature = base64_decode(entry.substr(comma + 1));
    if (!signature) continue;
    if (version == "v1" && signature->size() == 32) {
      usable = true;
      for (const auto& secret : source.secrets) {
        const auto key = base64_decode(strip_prefix(secret, "whsec_"));
        if (!key) continue;
        matched |= crypto::constant_time_equal(crypto::bytes_of(crypto::hmac_sha256(*key, signed_bytes)), *signature);
      }
    } else if (version == "v1a" && signature->size() == 64) {
      usable = true;
      for (const auto& public_key : source.public_keys) {
        const auto key = base64_decode(strip_prefix(public_key, "whpk_"));
        if (!key) continue;
        matched |= crypto::ed25519_verify(*key, signed_bytes, *signature);
      }
    }
  }
  if (!usable) return bad_signature(prefix + "signature holds no usable entry");
  if (!matched) return bad_signature("signature does not match");
  return Verified{std::string(*id)};
}

}  // namespace frontdesk::verify
