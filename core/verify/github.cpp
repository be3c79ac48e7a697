// GitHub: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>.
#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
#include "common.hpp"
#include "verify.hpp"

namespace frontdesk::verify {

Result<Verified> verify_github(const SourceConfig& source, const Request& request) {
  const auto header = request.headers.get("x-hub-signature-256");
  if (!header) return missing_signature("X-Hub-Signature-256 header");
  if (header->substr(0, 7) != "sha256=") return bad_signature("X-Hub-Signature-256 must start with sha256=");
  const auto signature = hex_decode(header->substr(7));
  if (!signature || signature->size() != 32) return bad_signature("X-Hub-Signature-256 is not a SHA-256 hex digest");
  bool matched = false;
  for (const auto& secret : source.secrets) {
    matched |= crypto::constant_time_equal(crypto::bytes_of(crypto::hmac_sha256(secret, request.body)), *signature);
  }
  if (!matched) return bad_signature("signature does not match");
  return Verified{std::string(request.headers.get("x-github-delivery").value_or(""))};
}

}  // namespace frontdesk::verify
