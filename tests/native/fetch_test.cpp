// Outbound HTTP for the fetch effect, against servers on 127.0.0.1 only.
#include <boost/asio/ip/tcp.hpp>
#include <sys/socket.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "running_server.hpp"
#include "tls_server.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
using tcp = boost::asio::ip::tcp;

namespace {

Result<FetchResponse> fetch_now(FetchRequest request, FetchOptions options = {}) {
  boost::asio::io_context io;
  HttpClient client(io, std::move(options));
  std::optional<Result<FetchResponse>> outcome;
  client.fetch(std::move(request), [&](Result<FetchResponse> r) { outcome.emplace(std::move(r)); });
  CHECK_FALSE(outcome.has_value());  // never before fetch() returns
  io.run();
  REQUIRE(outcome.has_value());
  return std::move(*outcome);
}

FetchRequest request_to(std::string method, std::string url, std::string body = {}) {
  FetchRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.body = std::move(body);
  return request;
}

// Answers every request on a connection with that connection's number (1, 2, …), keeping
// it open unless asked to close; drop_all() closes every connection from the server's side,
// as a server's keep-alive timeout does. Each connection is served on a thread of its own.
class CountingServer {
 public:
  CountingServer() : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    accepting_ = std::thread([this] {
      for (int number = 1;; ++number) {
        auto socket = std::make_shared<tcp::socket>(io_);
        boost::system::error_code ec;
        acceptor_.accept(*socket, ec);
        if (ec) return;
        std::lock_guard lock(mutex_);
        sockets_.push_back(socket);
        serving_.emplace_back([socket, number] { serve(*socket, number); });
      }
    });
  }
  ~CountingServer() {
    boost::system::error_code ignored;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    acceptor_.close(ignored);
    accepting_.join();
    drop_all();
    for (auto& thread : serving_) thread.join();
  }
  CountingServer(const CountingServer&) = delete;
  CountingServer& operator=(const CountingServer&) = delete;

  std::string url(std::string_view target) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(target);
  }
  std::size_t accepted() {
    std::lock_guard lock(mutex_);
    return sockets_.size();
  }
  void drop_all() {
    std::lock_guard lock(mutex_);
    for (const auto& socket : sockets_) ::shutdown(socket->native_handle(), SHUT_RDWR);
  }

 private:
  static void serve(tcp::socket& socket, int number) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    while (true) {
      http::request<http::string_body> request;
      boost::system::error_code ec;
      http::read(socket, buffer, request, ec);
      if (ec) return;
      http::response<http::string_body> response{http::status::ok, 11};
      response.body() = std::to_string(number);
      response.keep_alive(request.target() != "/close");
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec || !response.keep_alive()) return;
    }
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<std::shared_ptr<tcp::socket>> sockets_;
  std::vector<std::thread> serving_;
  std::thread accepting_;
};

// Fetches through one client, running io until the answer is in.
std::string body_of(boost::asio::io_context& io, HttpClient& client, std::string url) {
  std::optional<Result<FetchResponse>> outcome;
  client.fetch(request_to("POST", std::move(url), "{}"), [&](Result<FetchResponse> r) { outcome.emplace(std::move(r)); });
  io.restart();
  io.run();
  REQUIRE(outcome.has_value());
  REQUIRE(outcome->ok());
  return (*outcome)->body;
}

}  // namespace

TEST_CASE("fetch: requests to one origin reuse a kept-alive connection, and one the peer closed is replaced", "[fetch]") {
  CountingServer server;
  boost::asio::io_context io;
  HttpClient client(io);
  CHECK(body_of(io, client, server.url("/a")) == "1");
  CHECK(client.idle_connections() == 1);
  CHECK(body_of(io, client, server.url("/b")) == "1");
  CHECK(body_of(io, client, server.url("/c")) == "1");
  CHECK(server.accepted() == 1);

  // The server's keep-alive timeout: the next request goes on a new connection, and succeeds.
  server.drop_all();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(body_of(io, client, server.url("/d")) == "2");
  CHECK(server.accepted() == 2);

  // "Connection: close" in the answer: that connection is not kept.
  CHECK(body_of(io, client, server.url("/close")) == "2");
  CHECK(client.idle_connections() == 0);
  CHECK(body_of(io, client, server.url("/e")) == "3");
}

TEST_CASE("fetch: idle connections are closed after IdleLimits::idle_for", "[fetch]") {
  CountingServer server;
  boost::asio::io_context io;
  FetchOptions options;
  options.idle.idle_for = std::chrono::milliseconds(50);
  HttpClient client(io, options);
  CHECK(body_of(io, client, server.url("/a")) == "1");
  CHECK(client.idle_connections() == 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  CHECK(body_of(io, client, server.url("/b")) == "2");
  CHECK(server.accepted() == 2);
}

TEST_CASE("fetch: an HTTP answer of any status is a success", "[fetch]") {
  RunningServer server;
  const auto base = "http://127.0.0.1:" + std::to_string(server.port);

  const auto ok = fetch_now(request_to("GET", base + "/health"));
  REQUIRE(ok.ok());
  CHECK(ok->status == 200);
  CHECK(ok->body == R"({"status":"ok","version":"0.1.0","target":"native"})");
  CHECK(ok->headers.get("content-type") == std::optional<std::string_view>("application/json"));

  auto with_headers = request_to("POST", base + "/health?x=1", R"({"a":1})");
  with_headers.headers.add("content-type", "application/json");
  const auto refused = fetch_now(std::move(with_headers));
  REQUIRE(refused.ok());
  CHECK(refused->status == 405);
  CHECK(refused->headers.get("allow") == std::optional<std::string_view>("GET"));

  const auto missing = fetch_now(request_to("GET", base + "/nowhere"));
  REQUIRE(missing.ok());
  CHECK(missing->status == 404);
  server.stop();
  CHECK(server.access_log.size() == 3);
}

TEST_CASE("fetch: no answer is an internal error", "[fetch]") {
  // A port nobody listens on: bind one, note it, close it.
  std::uint16_t closed_port = 0;
  {
    boost::asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    closed_port = acceptor.local_endpoint().port();
  }
  const auto refused = fetch_now(request_to("GET", "http://127.0.0.1:" + std::to_string(closed_port) + "/"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::internal);
}

TEST_CASE("fetch: a server that never answers times out", "[fetch]") {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket accepted(io);
  acceptor.async_accept(accepted, [](boost::system::error_code) {});  // accepts, then says nothing
  const auto url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/slow";
  std::optional<Result<FetchResponse>> outcome;
  FetchOptions options;
  options.timeout = std::chrono::milliseconds(200);
  HttpClient client(io, options);
  const auto start = std::chrono::steady_clock::now();
  client.fetch(request_to("GET", url), [&](Result<FetchResponse> r) { outcome.emplace(std::move(r)); });
  io.run();
  REQUIRE(outcome.has_value());
  REQUIRE_FALSE(outcome->ok());
  CHECK(outcome->error().code == ErrorCode::internal);
  CHECK(outcome->error().message.find("timed out") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("fetch: a request's timeout_ms replaces the host's (fan-out waits 15 s, not 10)", "[fetch]") {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket accepted(io);
  acceptor.async_accept(accepted, [](boost::system::error_code) {});
  const auto url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/slow";
  std::optional<Result<FetchResponse>> outcome;
  FetchOptions options;
  options.timeout = std::chrono::milliseconds(100);
  HttpClient client(io, options);
  auto request = request_to("GET", url);
  request.timeout_ms = 600;
  const auto start = std::chrono::steady_clock::now();
  client.fetch(std::move(request), [&](Result<FetchResponse> r) { outcome.emplace(std::move(r)); });
  io.run();
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE(outcome.has_value());
  REQUIRE_FALSE(outcome->ok());
  CHECK(outcome->error().message.find("timed out") != std::string::npos);
  CHECK(waited >= std::chrono::milliseconds(550));
  CHECK(waited < std::chrono::seconds(5));
}

TEST_CASE("fetch: https with a trusted certificate", "[fetch][tls]") {
  TlsServer server;
  FetchOptions options;
  options.extra_ca_file = server.ca_file();
  const auto response =
      fetch_now(request_to("GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/x?y=1"), options);
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(response->body == "hello /x?y=1");
}

TEST_CASE("fetch: https refuses a certificate the trust store does not know", "[fetch][tls]") {
  TlsServer server;
  const auto response = fetch_now(request_to("GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == ErrorCode::internal);
  CHECK(response.error().message.starts_with("fetch: tls"));
}

TEST_CASE("fetch: https refuses a certificate for another name", "[fetch][tls]") {
  TlsServer server;
  FetchOptions options;
  options.extra_ca_file = server.ca_file();
  // Trusted, but issued for 127.0.0.1 and frontdesk.test, not for localhost.
  const auto response =
      fetch_now(request_to("GET", "https://localhost:" + std::to_string(server.port()) + "/"), options);
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == ErrorCode::internal);
}

TEST_CASE("fetch: only absolute http(s) URLs and clean headers", "[fetch]") {
  auto injected = request_to("GET", "http://127.0.0.1:9/");
  injected.headers.add("x-a", "1\r\nx-b: 2");
  const auto bad_header = fetch_now(std::move(injected));
  REQUIRE_FALSE(bad_header.ok());
  CHECK(bad_header.error().code == ErrorCode::internal);
  const auto bad_method = fetch_now(request_to("GET /x HTTP/1.1\r\n", "http://127.0.0.1:9/"));
  REQUIRE_FALSE(bad_method.ok());
  const auto relative = fetch_now(request_to("GET", "/relative"));
  REQUIRE_FALSE(relative.ok());
  CHECK(relative.error().code == ErrorCode::internal);
}

TEST_CASE("fetch: URL parsing", "[fetch]") {
  const auto plain = parse_url("http://example.com");
  REQUIRE(plain);
  CHECK(plain->host == "example.com");
  CHECK(plain->port == "80");
  CHECK(plain->target == "/");
  CHECK(plain->default_port);

  const auto full = parse_url("HTTPS://api.example.com:8443/v1/calls?x=1#frag");
  REQUIRE(full);
  CHECK(full->scheme == "https");
  CHECK(full->port == "8443");
  CHECK(full->target == "/v1/calls?x=1");
  CHECK_FALSE(full->default_port);

  const auto query_only = parse_url("http://h?q=1");
  REQUIRE(query_only);
  CHECK(query_only->target == "/?q=1");

  const auto ipv6 = parse_url("http://[::1]:8080/x");
  REQUIRE(ipv6);
  CHECK(ipv6->host == "::1");
  CHECK(ipv6->port == "8080");

  CHECK_FALSE(parse_url("ftp://h/"));
  CHECK_FALSE(parse_url("http:///path"));
  CHECK_FALSE(parse_url("http://user:pw@h/"));
  CHECK_FALSE(parse_url("http://h:port/"));
  CHECK_FALSE(parse_url("http://[::1/"));
}
