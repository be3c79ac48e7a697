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
  auto response = json_response(error_status(code), error_object(code, message));
  // The host's request log says why without parsing the answer back.
  response.log_fields = {{"error", std::string(error_code_name(code))}, {"message", std::string(message)}};
  return response;
}

Response error_response(const Error& error) { return error_response(error.code, error.message); }

std::string field_text(const boost::json::object& object, std::string_view field) {
  const auto* value = object.if_contains(field);
  return value && value->is_string() ? std::string(value->get_string()) : std::string{};
}

std::optional<std::int64_t> field_int(const boost::json::object& object, std::string_view field) {
  const auto* value = object.if_contains(field);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() < (1ULL << 53)) return static_cast<std::int64_t>(value->get_uint64());
  return std::nullopt;
}

}  // namespace frontdesk
