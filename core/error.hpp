#pragma once
// Error codes of SPEC's error contract: one meaning each, one HTTP status each.
#include <string>
#include <string_view>

namespace frontdesk {

enum class ErrorCode {
  missing_signature,
  bad_signature,
  stale_timestamp,
  unknown_source,
  payload_too_large,
  unsupported_media_type,
  malformed_body,
  unauthenticated,
  forbidden,
  not_found,
  method_not_allowed,
  conflict,
  invalid_field,
  rate_limited,
  storage_unavailable,
  internal,
  // Natively only: a client too slow to send its request (the edge's platform handles its own).
  request_timeout,
  // Natively only: the server is at its connection limit; try again after Retry-After.
  overloaded,
};

std::string_view error_code_name(ErrorCode code);
int error_status(ErrorCode code);
bool parse_error_code(std::string_view name, ErrorCode& out);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
};

}  // namespace frontdesk
