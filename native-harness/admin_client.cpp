#include "admin_client.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <istream>

#include "admin_socket.hpp"

namespace frontdesk::native {
namespace json = boost::json;

std::unique_ptr<AdminClient> AdminClient::connect(const std::filesystem::path& db_path) {
  const auto path = admin_socket_path(db_path);
  std::error_code fs_ec;
  if (!path || !std::filesystem::exists(*path, fs_ec)) return nullptr;
  auto client = std::make_unique<AdminClient>();
  boost::system::error_code ec;
  client->socket_.connect(boost::asio::local::stream_protocol::endpoint(path->native()), ec);
  if (ec) return nullptr;  // a socket file nobody answers on: no server
  return client;
}

Result<json::object> AdminClient::exchange(const json::object& request) {
  const auto line = json::serialize(request) + "\n";
  boost::system::error_code ec;
  boost::asio::write(socket_, boost::asio::buffer(line), ec);
  if (ec) return Error{ErrorCode::storage_unavailable, "the server's admin socket: " + ec.message()};
  boost::asio::read_until(socket_, input_, '\n', ec);
  if (ec) return Error{ErrorCode::storage_unavailable, "the server's admin socket: " + ec.message()};
  std::istream in(&input_);
  std::string answer;
  std::getline(in, answer);
  json::error_code parse_ec;
  auto parsed = json::parse(answer, parse_ec);
  if (parse_ec || !parsed.is_object()) return Error{ErrorCode::internal, "the server's admin socket answered no JSON"};
  auto& object = parsed.as_object();
  if (const auto* error = object.if_contains("error"); error && error->is_object()) {
    Error failure{ErrorCode::internal, ""};
    if (const auto* code = error->as_object().if_contains("code"); code && code->is_string()) {
      parse_error_code(code->get_string(), failure.code);
    }
    if (const auto* message = error->as_object().if_contains("message"); message && message->is_string()) {
      failure.message = message->get_string();
    }
    return failure;
  }
  return std::move(object);
}

Result<std::string> AdminClient::call(const ObjectKey& object, const std::string& message) {
  auto answer = exchange(json::object{{"kind", object.kind}, {"id", object.id}, {"message", message}});
  if (!answer) return answer.error();
  const auto* reply = answer->if_contains("reply");
  if (!reply || !reply->is_string()) return Error{ErrorCode::internal, "the server's admin socket answered no reply"};
  return std::string(reply->get_string());
}

Result<std::vector<std::string>> AdminClient::object_ids(std::string_view kind) {
  auto answer = exchange(json::object{{"list", kind}});
  if (!answer) return answer.error();
  const auto* ids = answer->if_contains("ids");
  if (!ids || !ids->is_array()) return Error{ErrorCode::internal, "the server's admin socket answered no ids"};
  std::vector<std::string> out;
  for (const auto& id : ids->get_array()) {
    if (id.is_string()) out.emplace_back(id.get_string());
  }
  return out;
}

}  // namespace frontdesk::native
