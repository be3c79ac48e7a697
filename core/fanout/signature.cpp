#include "signature.hpp"

#include "../crypto/primitives.hpp"
#include "../encoding.hpp"

namespace frontdesk::fanout {
namespace {

constexpr std::string_view secret_prefix = "whsec_";

}  // namespace

std::string secret_from(std::string_view random_bytes) { return std::string(secret_prefix) + base64_encode(random_bytes); }

Result<std::string> signature_header(const std::vector<std::string>& secrets, std::string_view id,
                                     std::int64_t timestamp_s, std::string_view body) {
  std::string content;
  content.append(id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
  std::string header;
  for (const auto& secret : secrets) {
    if (secret.rfind(secret_prefix, 0) != 0) return make_error(ErrorCode::invalid_field, "secret: must start with whsec_");
    const auto key = base64_decode(std::string_view(secret).substr(secret_prefix.size()));
    if (!key || key->empty()) return make_error(ErrorCode::invalid_field, "secret: must be whsec_ and base64");
    if (!header.empty()) header += ' ';
    header += "v1," + base64_encode(crypto::bytes_of(crypto::hmac_sha256(*key, content)));
  }
  return header;
}

}  // namespace frontdesk::fanout
