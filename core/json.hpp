#pragma once
// JSON answers: every body the core writes goes through here, so all targets emit the
// same bytes (Boost.JSON keeps insertion order).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "error.hpp"
#include "http.hpp"

namespace frontdesk {

Response json_response(int status, const boost::json::value& body);
Response error_response(ErrorCode code, std::string_view message);
Response error_response(const Error& error);
boost::json::object error_object(ErrorCode code, std::string_view message);

}  // namespace frontdesk
