#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/json.hpp"

using namespace frontdesk;

TEST_CASE("every error code has SPEC's status and round-trips by name") {
  const std::vector<std::pair<ErrorCode, int>> expected{
      {ErrorCode::missing_signature, 401}, {ErrorCode::bad_signature, 401},
      {ErrorCode::stale_timestamp, 401},   {ErrorCode::unknown_source, 404},
      {ErrorCode::payload_too_large, 413}, {ErrorCode::unsupported_media_type, 415},
      {ErrorCode::malformed_body, 400},    {ErrorCode::unauthenticated, 401},
      {ErrorCode::forbidden, 403},         {ErrorCode::not_found, 404},
      {ErrorCode::method_not_allowed, 405}, {ErrorCode::conflict, 409},
      {ErrorCode::invalid_field, 422},     {ErrorCode::rate_limited, 429},
      {ErrorCode::storage_unavailable, 503}, {ErrorCode::internal, 500},
      {ErrorCode::request_timeout, 408}, {ErrorCode::overloaded, 503},
  };
  for (const auto& [code, status] : expected) {
    CHECK(error_status(code) == status);
    ErrorCode parsed = ErrorCode::internal;
    REQUIRE(parse_error_code(error_code_name(code), parsed));
    CHECK(parsed == code);
  }
  ErrorCode unknown = ErrorCode::conflict;
  CHECK_FALSE(parse_error_code("no_such_code", unknown));
}

TEST_CASE("an error response is SPEC's JSON shape with its status") {
  const auto response = error_response(ErrorCode::bad_signature, "signature does not match");
  CHECK(response.status == 401);
  CHECK(response.headers.get("Content-Type") == "application/json");
  CHECK(response.body == R"({"error":{"code":"bad_signature","message":"signature does not match"}})");
  // For the host's request log only (never sent): the code and message, without parsing.
  CHECK(response.log_fields == std::vector<std::pair<std::string, std::string>>{
                                   {"error", "bad_signature"}, {"message", "signature does not match"}});
}
