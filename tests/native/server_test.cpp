// The HTTP server end to end over real loopback sockets.
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "server.hpp"
#include "running_server.hpp"
#include "support.hpp"
#include "core/json.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
using tcp = boost::asio::ip::tcp;

namespace {

tcp::socket connect_to(boost::asio::io_context& io, std::uint16_t port) {
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  return socket;
}

// Everything the server sends until it closes the connection.
std::string read_to_close(tcp::socket& socket) {
  std::string received;
  boost::system::error_code ec;
  boost::asio::read(socket, boost::asio::dynamic_buffer(received), ec);
  return received;
}

}  // namespace

TEST_CASE("the server answers over a loopback socket and stops gracefully", "[server]") {
  RunningServer server;
  const auto response = http_exchange(server.port, "GET", "/health");
  CHECK(response.status == 200);
  CHECK(response.body == R"({"status":"ok","version":"0.1.0","target":"native"})");
  CHECK(response.header("content-type") == std::optional<std::string>("application/json"));
  CHECK(response.header("content-length") == std::optional<std::string>("51"));
  server.stop();
  REQUIRE(server.access_log.size() == 1);
  const auto& line = server.access_log[0];
  CHECK(line.starts_with(R"({"ts":")"));
  CHECK(line.find(R"("method":"GET","path":"/health","status":200,"duration_ms":)") != std::string::npos);
}

// Connections have a thread of their own: a plain /health needs nothing of the io thread,
// so it is answered while the ledgers keep that thread busy (here: blocked outright).
TEST_CASE("GET /health is answered while the io thread is busy", "[server]") {
  RunningServer server;
  std::promise<void> release;
  std::promise<void> blocking;
  std::atomic<bool> io_blocked = true;
  boost::asio::post(server.io, [&release, &blocking, &io_blocked] {
    blocking.set_value();
    // Bounded, so that a /health which waits for this thread fails the test, not hangs it.
    release.get_future().wait_for(std::chrono::seconds(20));
    io_blocked = false;
  });
  blocking.get_future().wait();
  const auto health = http_exchange(server.port, "GET", "/health");
  CHECK(io_blocked);  // answered before the io thread was let go
  release.set_value();
  CHECK(health.status == 200);
  CHECK(health.body == R"({"status":"ok","version":"0.1.0","target":"native"})");
  // The deep check goes through storage and objects, on the io thread, once it is free.
  const auto deep = http_exchange(server.port, "GET", "/health?deep=1");
  CHECK(deep.status == 200);
  server.stop();
  REQUIRE(server.access_log.size() == 2);
}

TEST_CASE("the server keeps a connection alive across requests", "[server]") {
  RunningServer server;
  boost::asio::io_context io;
  auto socket = connect_to(io, server.port);
  const std::string two_requests =
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health?deep=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(two_requests));
  const auto received = read_to_close(socket);
  CHECK(received.find(R"({"status":"ok","version":"0.1.0","target":"native"})") != std::string::npos);
  CHECK(received.find(R"("checks":{"kv":{"ok":true},"objects":{"ok":true},"sql":{"ok":true}})") != std::string::npos);
  server.stop();
  CHECK(server.access_log.size() == 2);
}

TEST_CASE("a body over 1 MiB is refused with 413 before the core sees it", "[server]") {
  RunningServer server;
  boost::asio::io_context io;
  auto socket = connect_to(io, server.port);
  const std::string header = "POST /webhooks/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(header));
  // Part of the body is on its way when the answer comes; it must still arrive intact.
  boost::asio::write(socket, boost::asio::buffer(std::string(100'000, 'x')));
  socket.shutdown(tcp::socket::shutdown_send);
  const auto received = read_to_close(socket);
  CHECK(received.starts_with("HTTP/1.1 413 Payload Too Large\r\n"));
  CHECK(received.find(R"({"error":{"code":"payload_too_large","message":)") != std::string::npos);
  server.stop();
  REQUIRE(server.access_log.size() == 1);
  CHECK(server.access_log[0].find(R"("method":"POST","path":"/webhooks/x","status":413)") != std::string::npos);
}

TEST_CASE("a body of exactly 1 MiB reaches the core", "[server]") {
  RunningServer server;
  const auto response = http_exchange(server.port, "POST", "/health", std::string(1U << 20, 'x'));
  CHECK(response.status == 405);
  server.stop();
}

TEST_CASE("a malformed request is a 400 JSON error", "[server]") {
  RunningServer server;
  boost::asio::io_context io;
  auto socket = connect_to(io, server.port);
  boost::asio::write(socket, boost::asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
  const auto received = read_to_close(socket);
  CHECK(received.starts_with("HTTP/1.1 400 Bad Request\r\n"));
  CHECK(received.find(R"("code":"malformed_body")") != std::string::npos);
  server.stop();
}

TEST_CASE("stopping closes idle keep-alive connections", "[server]") {
  RunningServer server;
  boost::asio::io_context io;
  auto socket = connect_to(io, server.port);
  boost::asio::write(socket, boost::asio::buffer(std::string("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string first;
  boost::asio::read(socket, boost::asio::dynamic_buffer(first), boost::asio::transfer_at_least(1));
  CHECK(first.starts_with("HTTP/1.1 200 OK"));
  server.stop();  // returns only once the server's io_context ran out of work
  const auto rest = read_to_close(socket);
  CHECK(rest.find("HTTP/1.1") == std::string::npos);
  // And nobody listens any more.
  tcp::socket late(io);
  boost::system::error_code ec;
  late.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server.port), ec);
  CHECK(ec);
}

TEST_CASE("listen addresses", "[server]") {
  CHECK(parse_listen_address("127.0.0.1:8080")->host == "127.0.0.1");
  CHECK(parse_listen_address("127.0.0.1:8080")->port == "8080");
  CHECK(parse_listen_address("[::1]:0")->host == "::1");
  CHECK(parse_listen_address("localhost:9000")->host == "localhost");
  CHECK_FALSE(parse_listen_address("127.0.0.1"));
  CHECK_FALSE(parse_listen_address(":80"));
  CHECK_FALSE(parse_listen_address("host:"));
  CHECK_FALSE(parse_listen_address("host:http"));
  CHECK_FALSE(parse_listen_address("host:70000"));
  CHECK_FALSE(parse_listen_address("::1:80"));
}

TEST_CASE("access log lines are JSON without queries", "[server]") {
  CHECK(iso8601_utc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(iso8601_utc(1'700'000'000'123) == "2023-11-14T22:13:20.123Z");
  RequestLogEntry entry;
  entry.method = "GET";
  entry.path = "/a\"b";
  entry.status = 200;
  entry.duration_ms = 1.5;
  CHECK(request_log_line(entry) ==
        R"({"ts":"1970-01-01T00:00:00.000Z","level":"info","method":"GET","path":"/a\"b","status":200,"duration_ms":1.500})");
}

TEST_CASE("a request log line carries the request id, what the core learned and a refusal's reason", "[server]") {
  const std::vector<std::pair<std::string, std::string>> fields{
      {"source", "telnyx"}, {"tenant", "acme"}, {"event_id", "evt_1"}, {"outcome", "verified"}};
  RequestLogEntry entry;
  entry.request_id = "req_1";
  entry.method = "POST";
  entry.path = "/webhooks/telnyx";
  entry.status = 200;
  entry.duration_ms = 2;
  entry.fields = &fields;
  CHECK(request_log_line(entry) ==
        R"({"ts":"1970-01-01T00:00:00.000Z","level":"info","request_id":"req_1","method":"POST","path":"/webhooks/telnyx",)"
        R"("status":200,"duration_ms":2.000,"source":"telnyx","tenant":"acme","event_id":"evt_1","outcome":"verified"})");
  const auto answer = error_response(ErrorCode::bad_signature, "signature does not match");
  RequestLogEntry refused;
  refused.request_id = "req_2";
  refused.method = "POST";
  refused.path = "/webhooks/telnyx";
  refused.status = answer.status;
  refused.duration_ms = 0.5;
  refused.fields = &answer.log_fields;
  CHECK(request_log_line(refused) ==
        R"({"ts":"1970-01-01T00:00:00.000Z","level":"warn","request_id":"req_2","method":"POST","path":"/webhooks/telnyx",)"
        R"("status":401,"duration_ms":0.500,"error":"bad_signature","message":"signature does not match"})");
}
