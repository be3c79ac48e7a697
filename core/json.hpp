#pragma once
// JSON answers: every body the core writes goes through here, so all targets emit the
// same bytes (Boost.JSON keeps insertion order).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "error.hpp"
#include "http.hpp"

namespace frontdesk {

// A field of a JSON object the core reads (a message, a reply, a stored record): its string,
// or "" when absent or not a string.
std::string field_text(const boost::json::object& object, std::string_view field);
// Its integer (within ±2^53 when it came as unsigned), or nullopt.
std::optional<std::int64_t> field_int(const boost::json::object& object, std::string_view field);

Response json_response(int status, const boost::json::value& body);
Response error_response(ErrorCode code, std::string_view message);
Response error_response(const Error& error);
boost::json::object error_object(ErrorCode code, std::string_view message);

}  // namespace frontdesk
