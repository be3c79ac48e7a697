// SPEC's order after routing: content type (415) → the kind's checks (401s).
#include "verify.hpp"

namespace frontdesk::verify {
namespace {

// Twilio posts forms; GitHub does when a hook's content type is set to form (the JSON is
// then the `payload` field, and the signature covers the raw body all the same).
bool accepts(SourceKind kind, std::string_view type) {
  if (type == "application/json") return true;
  return (kind == SourceKind::twilio || kind == SourceKind::github) && type == "application/x-www-form-urlencoded";
}

}  // namespace

Result<Verified> verify_delivery(const SourceConfig& source, const Request& request, std::int64_t now_ms) {
  const auto type = media_type(request.headers.get("content-type").value_or(""));
  if (!accepts(source.kind, type)) {
    return make_error(ErrorCode::unsupported_media_type,
                      type.empty() ? "a content type is required"
                                   : "content type " + type + " is not accepted by this source");
  }
  switch (source.kind) {
    case SourceKind::openphone:
      return verify_openphone(source, request, now_ms);
    case SourceKind::standard:
      return verify_standard(source, request, now_ms);
    case SourceKind::telnyx:
      return verify_telnyx(source, request, now_ms);
    case SourceKind::twilio:
      return verify_twilio(source, request);
    case SourceKind::github:
      return verify_github(source, request);
    case SourceKind::stripe:
      return verify_stripe(source, request, now_ms);
  }
  return make_error(ErrorCode::internal, "unknown source kind");
}

}  // namespace frontdesk::verify
