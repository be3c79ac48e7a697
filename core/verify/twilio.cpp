// Twilio: X-Twilio-Signature = base64 HMAC-SHA1 (auth token) of the signed URL followed
// by every form parameter, sorted by name then value, as name+value. The signed URL is
// the source's public_url plus the query string exactly as received. JSON bodies sign the
// URL alone and carry bodySHA256 (hex SHA-256 of the body) in it. Twilio may or may not
// include the scheme's default port, so both spellings are tried.
#include <algorithm>

#include "../crypto/primitives.hpp"
#include "../crypto/sha1.hpp"
#include "../encoding.hpp"
#include "common.hpp"
#include "verify.hpp"

namespace frontdesk::verify {
namespace {

// The URL as given and with its default port toggled (added when absent, dropped when
// present): "https://a.com/x" ⇄ "https://a.com:443/x".
std::vector<std::string> url_spellings(const std::string& url) {
  std::vector<std::string> spellings{url};
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return spellings;
  const std::string scheme = url.substr(0, scheme_end);
  const std::string default_port = scheme == "https" ? "443" : scheme == "http" ? "80" : "";
  if (default_port.empty()) return spellings;
  const auto host_start = scheme_end + 3;
  const auto host_end = url.find_first_of("/?#", host_start);
  const auto authority = url.substr(host_start, host_end == std::string::npos ? std::string::npos : host_end - host_start);
  const std::string rest = host_end == std::string::npos ? std::string{} : url.substr(host_end);
  const auto colon = authority.rfind(':');
  const std::string prefix = url.substr(0, host_start);
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    if (authority.substr(colon + 1) == default_port) spellings.push_back(prefix + authority.substr(0, colon) + rest);
  } else {
    spellings.push_back(prefix + authority + ":" + default_port + rest);
  }
  return spellings;
}

std::string signed_url(const SourceConfig& source, const Request& request) {
  if (request.query.empty()) return source.public_url;
  const char joiner = source.public_url.find('?') == std::string::npos ? '?' : '&';
  return source.public_url + joiner + request.query;
}

}  // namespace

Result<Verified> verify_twilio(const SourceConfig& source, const Request& request) {
  const auto header = request.headers.get("x-twilio-signature");
  if (!header) return missing_signature("X-Twilio-Signature header");
  const auto signature = base64_decode(*header);
  if (!signature || signature->size() != 20) return bad_signature("X-Twilio-Signature is not an HMAC-SHA1 signature");

  const auto url = signed_url(source, request);
  std::string params;
  if (media_type(request.headers.get("content-type").value_or("")) == "application/json") {
    const auto query = parse_query(request.query);
    const auto body_hash = find_param(query, "bodySHA256");
    const auto expected = hex_encode(crypto::bytes_of(crypto::sha256(request.body)));
    if (!body_hash || !crypto::constant_time_equal(ascii_lower(*body_hash), expected)) {
      return bad_signature("bodySHA256 does not match the body");
    }
  } else {
    auto pairs = parse_query(request.body);
    std::sort(pairs.begin(), pairs.end());
    for (const auto& [name, value] : pairs) params += name + value;
  }

  bool matched = false;
  for (const auto& spelling : url_spellings(url)) {
    for (const auto& token : source.secrets) {
      matched |= crypto::constant_time_equal(crypto::bytes_of(crypto::hmac_sha1(token, spelling + params)), *signature);
    }
  }
  if (!matched) return bad_signature("signature does not match");
  return Verified{std::string(request.headers.get("i-twilio-idempotency-token").value_or(""))};
}

}  // namespace frontdesk::verify
