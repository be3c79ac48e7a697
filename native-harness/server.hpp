#pragma once
// The HTTP listener: accepts connections on one endpoint and serves each with a
// Connection, on a thread of its own: reading and writing requests, and answering those
// that need neither objects nor storage (GET /health), never wait behind the host's io
// thread, whatever its ledgers are doing.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "clock.hpp"
#include "connection.hpp"
#include "core/result.hpp"
#include "host.hpp"
#include "output.hpp"
#include "site.hpp"

namespace frontdesk::native {

// "127.0.0.1:8080", "[::1]:0", "localhost:9000" → host and port; nullopt when malformed.
struct ListenAddress {
  std::string host;
  std::string port;
};
std::optional<ListenAddress> parse_listen_address(std::string_view text);

// What the server holds open at most. Over max_connections a new connection takes the
// place of the one idle the longest; with none idle, it answers only GET /health (and 503
// overloaded with Retry-After to anything else), and past overflow_connections more the
// server stops accepting until some close (new clients wait in the listen backlog).
struct ServerLimits {
  std::size_t max_connections = 1024;
  std::size_t overflow_connections = 64;
  ConnectionTimeouts timeouts;
};

// The limit that fits the process's open-files limit, leaving room for the object
// databases (each holds a few files) and everything else.
std::size_t default_max_connections(std::size_t open_files_limit, std::size_t open_objects);

class Server {
 public:
  Server(Host& host, LogSink access_log = write_stdout_line, Clock clock = system_clock_ms, SiteOptions site = {},
         ServerLimits limits = {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Stops, and waits for the connections' thread to end.
  ~Server();

  // Binds and starts accepting on the connections' thread; port "0" picks a free port
  // (see local_endpoint()). From here until that thread ends, the host's io_context keeps
  // running: connections still hand it requests.
  Result<void> listen(const ListenAddress& address);
  boost::asio::ip::tcp::endpoint local_endpoint() const { return endpoint_; }
  // Graceful, from any thread: stops accepting, closes idle connections; busy ones close
  // after answering. The connections' thread ends when the last one has closed.
  void stop();

 private:
  void accept();
  void admit(boost::asio::ip::tcp::socket socket);
  std::size_t open_connections();
  void stop_here();

  boost::asio::io_context io_{1};
  Host& host_;
  std::shared_ptr<Site> site_;
  LogSink access_log_;
  Clock clock_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ServerLimits limits_;
  boost::asio::steady_timer retry_;
  std::vector<std::weak_ptr<Connection>> connections_;
  bool stopped_ = false;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> host_running_;
  // Last: joined before anything its connections use is gone.
  std::thread thread_;
};

}  // namespace frontdesk::native
