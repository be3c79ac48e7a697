#include "messages.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "core/json.hpp"

namespace frontdesk::native {
namespace {

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

BeastResponse build(const Response& response) {
  BeastResponse message;
  message.version(11);
  message.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers.entries()) message.insert(name, value);
  return message;
}

}  // namespace

bool valid_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_token_char);
}

bool valid_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool valid_headers(const Headers& headers) {
  return std::all_of(headers.entries().begin(), headers.entries().end(), [](const auto& entry) {
    return valid_header_name(entry.first) && valid_header_value(entry.second);
  });
}

Request to_core_request(BeastRequest&& message) {
  const std::string_view target = message.target();
  const auto question = target.find('?');
  Request request;
  request.method = std::string(message.method_string());
  request.path = std::string(target.substr(0, question));
  request.query = question == std::string_view::npos ? std::string{} : std::string(target.substr(question + 1));
  for (const auto& field : message) {
    request.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

BeastResponse to_beast_response(Response response, bool head_request) {
  if (!valid_headers(response.headers)) {
    response = error_response(ErrorCode::internal, "the response had an invalid header");
  }
  BeastResponse message = build(response);
  message.body() = std::move(response.body);
  message.prepare_payload();
  if (head_request) message.body().clear();
  return message;
}

}  // namespace frontdesk::native
