#pragma once
// Shared pieces of the native host tests: temporary directories, a Host driven
// in-process, a minimal HTTP client over a loopback socket.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/app.hpp"
#include "core/http.hpp"
#include "faults.hpp"
#include "host.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native::test {

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

App test_app();
Store open_store(const std::filesystem::path& path, Clock clock = system_clock_ms);

// Runs requests through a Host on its own io_context: no sockets involved.
struct HostFixture {
  explicit HostFixture(Faults faults = {});

  Response request(std::string method, std::string target, std::string body = {});
  ObjectReply call(const ObjectKey& object, std::string message);

  TempDir dir;
  boost::asio::io_context io;
  App app;
  std::vector<std::string> log_lines;
  Store store;
  Host host;
};

Request make_request(std::string method, std::string_view target, std::string body = {});

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::optional<std::string> header(std::string_view name) const;
};

// One HTTP/1.1 exchange with a server on 127.0.0.1:port (synchronous, its own socket).
RawResponse http_exchange(std::uint16_t port, std::string_view method, std::string_view target,
                          std::string_view body = {});

}  // namespace frontdesk::native::test
