#include "error.hpp"

#include <array>
#include <utility>

namespace frontdesk {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  int status;
};

constexpr std::array<CodeInfo, 18> code_table{{
    {ErrorCode::missing_signature, "missing_signature", 401},
    {ErrorCode::bad_signature, "bad_signature", 401},
    {ErrorCode::stale_timestamp, "stale_timestamp", 401},
    {ErrorCode::unknown_source, "unknown_source", 404},
    {ErrorCode::payload_too_large, "payload_too_large", 413},
    {ErrorCode::unsupported_media_type, "unsupported_media_type", 415},
    {ErrorCode::malformed_body, "malformed_body", 400},
    {ErrorCode::unauthenticated, "unauthenticated", 401},
    {ErrorCode::forbidden, "forbidden", 403},
    {ErrorCode::not_found, "not_found", 404},
    {ErrorCode::method_not_allowed, "method_not_allowed", 405},
    {ErrorCode::conflict, "conflict", 409},
    {ErrorCode::invalid_field, "invalid_field", 422},
    {ErrorCode::rate_limited, "rate_limited", 429},
    {ErrorCode::storage_unavailable, "storage_unavailable", 503},
    {ErrorCode::internal, "internal", 500},
    {ErrorCode::request_timeout, "request_timeout", 408},
    {ErrorCode::overloaded, "overloaded", 503},
}};

const CodeInfo& info(ErrorCode code) { return code_table[static_cast<std::size_t>(code)]; }

}  // namespace

std::string_view error_code_name(ErrorCode code) { return info(code).name; }
int error_status(ErrorCode code) { return info(code).status; }

bool parse_error_code(std::string_view name, ErrorCode& out) {
  for (const auto& entry : code_table) {
    if (entry.name == name) {
      out = entry.code;
      return true;
    }
  }
  return false;
}

}  // namespace frontdesk
