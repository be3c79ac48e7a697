#include "json.hpp"

#include <boost/json/serialize.hpp>

namespace frontdesk {

Response json_response(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.headers.add("content-type", "application/json");
  response.body = boost::json::serialize(body);
  return response;
}

boost::json::object error_object(ErrorCode code, std::string_view message) {
  boost::json::object inner;
  inner["code"] = error_code_name(code);
  inner["message"] = message;
  boost::json::object outer;
  outer["error"] = std::move(inner);
  return outer;
}

Response error_response(ErrorCode code, std::string_view message) {
  return json_response(error_status(code), error_object(code, message));
}

Response error_response(const Error& error) { return error_response(error.code, error.message); }

}  // namespace frontdesk
