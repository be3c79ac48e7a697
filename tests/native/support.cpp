#include "support.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

namespace frontdesk::native::test {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

TempDir::TempDir() {
  auto pattern = (std::filesystem::temp_directory_path() / "frontdesk-test-XXXXXX").string();
  const char* made = ::mkdtemp(pattern.data());
  REQUIRE(made != nullptr);
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

App test_app() {
  auto app = App::create("{}", [](std::string_view) { return std::optional<std::string>{}; });
  REQUIRE(app.ok());
  return std::move(app.value());
}

Store open_store(const std::filesystem::path& path, Clock clock) {
  auto store = Store::open(path, std::move(clock));
  if (!store) FAIL("cannot open the store: " << store.error().message);
  return std::move(store.value());
}

HostFixture::HostFixture(Faults faults)
    : app(test_app()),
      store(open_store(dir / "fd.db")),
      host(io, app, store, [&] {
        HostOptions options;
        options.faults = faults;
        options.log = [this](std::string_view line) { log_lines.emplace_back(line); };
        return options;
      }()) {}

Request make_request(std::string method, std::string_view target, std::string body) {
  Request request;
  request.method = std::move(method);
  const auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.body = std::move(body);
  return request;
}

Response HostFixture::request(std::string method, std::string target, std::string body) {
  std::optional<Response> response;
  host.handle(make_request(std::move(method), target, std::move(body)), [&](Response r) { response = std::move(r); });
  io.restart();
  io.run();
  REQUIRE(response.has_value());
  return *response;
}

ObjectReply HostFixture::call(const ObjectKey& object, std::string message) {
  std::optional<ObjectReply> reply;
  host.call_object(object, std::move(message), [&](ObjectReply r) { reply = std::move(r); });
  io.restart();
  io.run();
  REQUIRE(reply.has_value());
  return *reply;
}

std::optional<std::string> RawResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

RawResponse http_exchange(std::uint16_t port, std::string_view method, std::string_view target,
                          std::string_view body) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, "127.0.0.1");
  request.body() = std::string(body);
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  RawResponse raw;
  raw.status = static_cast<int>(response.result_int());
  for (const auto& field : response) raw.headers.emplace_back(field.name_string(), field.value());
  raw.body = response.body();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return raw;
}

}  // namespace frontdesk::native::test
