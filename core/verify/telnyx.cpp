// Telnyx: telnyx-signature-ed25519 (base64, 64 bytes) over "<telnyx-timestamp>|<body>",
// checked against each configured public key (base64 of the raw 32-byte key).
#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
#include "common.hpp"
#include "verify.hpp"

namespace frontdesk::verify {

Result<Verified> verify_telnyx(const SourceConfig& source, const Request& request, std::int64_t now_ms) {
  const auto signature_text = request.headers.get("telnyx-signature-ed25519");
  const auto timestamp_text = request.headers.get("telnyx-timestamp");
  if (!signature_text || !timestamp_text) {
    return missing_signature("telnyx-signature-ed25519 and telnyx-timestamp headers");
  }
  const auto timestamp = parse_timestamp(*timestamp_text);
  if (!timestamp) return bad_signature("telnyx-timestamp is not a number");
  if (!within(*timestamp * 1000, now_ms, source.tolerance_s)) return stale_timestamp();
  const auto signature = base64_decode(*signature_text);
  if (!signature || signature->size() != 64) return bad_signature("telnyx-signature-ed25519 is not a 64-byte signature");

  const auto signed_bytes = std::string(*timestamp_text) + "|" + request.body;
  bool matched = false;
  for (const auto& public_key : source.public_keys) {
    const auto key = base64_decode(public_key);
    if (!key) continue;
    matched |= crypto::ed25519_verify(*key, signed_bytes, *signature);
  }
  if (!matched) return bad_signature("signature does not match");
  return Verified{};
}

}  // namespace frontdesk::verify
