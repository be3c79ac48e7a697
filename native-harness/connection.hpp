#pragma once
// One client connection of the HTTP server: reads requests (keep-alive, one at a time),
// hands each to the Host, writes its answer, logs one line per request. Runs on the
// server's connections thread; the host answers from its own threads.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "clock.hpp"
#include "core/http.hpp"
#include "host.hpp"
#include "messages.hpp"
#include "output.hpp"
#include "site.hpp"

namespace frontdesk::native {

// A body above this is refused with 413 before the core sees it (the core has its own,
// smaller, per-source limits).
inline constexpr std::uint64_t max_request_body = 1U << 20;

// How long a client may take: to send a request once connected or once it began one
// (then 408), and to begin the next one on a kept-alive connection (then it is closed).
struct ConnectionTimeouts {
  std::chrono::seconds request{10};
  std::chrono::seconds idle{60};
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // An overflow connection (the server is at its limit) answers GET /health as usual and
  // anything else 503 overloaded with Retry-After, then closes.
  Connection(boost::asio::ip::tcp::socket socket, Host& host, std::shared_ptr<Site> site, const LogSink& access_log,
             const Clock& clock, ConnectionTimeouts timeouts = {}, bool overflow = false);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  // Graceful stop: an idle connection closes now, a busy one after its answer is written.
  void stop();
  // Waiting for a request of which nothing has come yet: closing it loses nothing.
  bool idle() const;
  // Closed to make room for a new connection (the server is at its limit).
  void evict();
  bool closed() const { return closed_; }

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  using SteadyClock = std::chrono::steady_clock;

  void read_header();
  void arm_request_deadline(std::chrono::seconds timeout);
  // Whether the read that just completed was cut off by the request deadline.
  bool read_timed_out(boost::beast::error_code ec);
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec);
  void dispatch();
  // GET /api/v1/live?ticket=… with an Upgrade: the socket goes to a LiveSocket once the
  // tenant's ledger took the ticket (else a 401 answer, as any request).
  void upgrade_live();
  // On the ledger's yes: logs the 101 and hands the socket to a LiveSocket on the io thread.
  void hand_over_live(const std::shared_ptr<BeastRequest>& request, const std::string& tenant,
                      std::vector<std::string> taken_types);
  // Wraps a handler (of the answer, of an object's reply) so that it runs on this
  // connection's thread, whichever thread calls it.
  template <class Value, class Handler>
  std::function<void(Value)> on_this_thread(Handler handler);
  void answer(Response response);
  // Answers a request that never reached the core (malformed, too large) and closes.
  void refuse(const Response& response);
  void write();
  void close();
  // Closes after a refusal without resetting the connection: the client may still be
  // sending the body we refused, and closing with unread data would make the kernel
  // send a reset that can destroy our answer before the client reads it.
  void linger_close();
  void drain();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  BeastResponse response_;
  Host& host_;
  // Shared: a connection's last handler may outlive the server at shutdown.
  std::shared_ptr<Site> site_;
  const LogSink& access_log_;
  const Clock& clock_;
  std::string method_;
  std::string path_;
  std::string request_id_;
  SteadyClock::time_point started_;
  std::shared_ptr<std::array<char, 16384>> drain_buffer_;
  std::uint64_t drained_ = 0;
  bool from_loopback_ = false;
  bool keep_alive_ = false;
  bool refused_ = false;   // the answer is a refusal: linger, then close
  bool busy_ = false;      // between a complete request and its answer written
  bool stopping_ = false;  // the server is shutting down
  bool closed_ = false;
  bool overflow_ = false;
  // The deadline of reading a request: on expiry the read is cancelled (not the socket
  // closed, as the stream's own timeout would) so the 408 can still be written.
  boost::asio::steady_timer request_deadline_;
  bool timed_out_ = false;
  std::uint64_t served_ = 0;  // requests answered on this connection
  ConnectionTimeouts timeouts_;
};

}  // namespace frontdesk::native
