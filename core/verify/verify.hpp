#pragma once
// Proving a webhook delivery authentic, per SPEC "Signature schemes". Each kind lives in
// its own file; verify_delivery runs SPEC's order of checks after routing: content type →
// signature headers present → timestamp → signature. Nothing here interprets the body
// beyond what the scheme signs.
#include <cstdint>
#include <string>

#include "../config.hpp"
#include "../http.hpp"
#include "../result.hpp"

namespace frontdesk::verify {

struct Verified {
  // The provider's delivery id when the scheme carries one in a header (webhook-id,
  // X-GitHub-Delivery, I-Twilio-Idempotency-Token); "" when it lives in the body.
  std::string delivery_id;
};

Result<Verified> verify_delivery(const SourceConfig& source, const Request& request, std::int64_t now_ms);

// Per kind, called by verify_delivery once the content type is right.
Result<Verified> verify_openphone(const SourceConfig& source, const Request& request, std::int64_t now_ms);
Result<Verified> verify_standard(const SourceConfig& source, const Request& request, std::int64_t now_ms);
Result<Verified> verify_telnyx(const SourceConfig& source, const Request& request, std::int64_t now_ms);
Result<Verified> verify_twilio(const SourceConfig& source, const Request& request);
Result<Verified> verify_github(const SourceConfig& source, const Request& request);
Result<Verified> verify_stripe(const SourceConfig& source, const Request& request, std::int64_t now_ms);

// "application/json; charset=utf-8" → "application/json" (lower case).
std::string media_type(std::string_view content_type);

}  // namespace frontdesk::verify
