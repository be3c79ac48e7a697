// openphone-signature: hmac;1;<timestamp ms>;<base64 HMAC-SHA256 of "<ts>.<body>">, several
// entries comma-separated; any valid, fresh entry verifies. Secrets are base64.
#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
#include "common.hpp"
#include "verify.hpp"

namespace frontdesk::verify {
namespace {

struct Entry {
  std::string_view timestamp;
  std::int64_t timestamp_ms = 0;
  std::string signature;
};

std::vector<Entry> parse_entries(std::string_view header) {
  std::vector<Entry> entries;
  for (const auto raw : split(header, ',')) {
    const auto fields = split(trim(raw), ';');
    if (fields.size() != 4 || fields[0] != "hmac" || fields[1] != "1") continue;
    const auto timestamp = parse_timestamp(fields[2]);
    auto signature = base64_decode(fields[3]);
    if (!timestamp || !signature || signature->size() != 32) continue;
    entries.push_back({fields[2], *timestamp, std::move(*signature)});
  }
  return entries;
}

}  // namespace

Result<Verified> verify_openphone(const SourceConfig& source, const Request& request, std::int64_t now_ms) {
  const auto header = request.headers.get("openphone-signature");
  if (!header) return missing_signature("openphone-signature header");
  const auto entries = parse_entries(*header);
  if (entries.empty()) return bad_signature("openphone-signature holds no usable entry");
  bool any_fresh = false;
  bool matched = false;
  for (const auto& entry : entries) {
    if (!within(entry.timestamp_ms, now_ms, source.tolerance_s)) continue;
    any_fresh = true;
    const auto signed_bytes = std::string(entry.timestamp) + "." + request.body;
    for (const auto& secret : source.secrets) {
      const auto key = base64_decode(secret);
      if (!key) continue;
      // Every pair is compared, so timing does not tell which secret or entry matched.
      matched |= crypto::constant_time_equal(crypto::bytes_of(crypto::hmac_sha256(*key, signed_bytes)),
                                             entry.signature);
    }
  }
  if (!any_fresh) return stale_timestamp();
  if (!matched) return bad_signature("signature does not match");
  return Verified{};
}

}  // namespace frontdesk::verify
