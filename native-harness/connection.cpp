#include "connection.hpp"

#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <string_view>
#include <utility>

#include "core/json.hpp"
#include "core/live/ticket.hpp"
#include "core/objects/ledger/protocol.hpp"
#include "core/objects/protocol.hpp"
#include "live_socket.hpp"
#include "messages.hpp"
#include "request_log.hpp"

namespace frontdesk::native {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// How long a client may take to read an answer.
constexpr std::chrono::seconds io_timeout{30};
// A request that comes over the connection limit is read for this long at most.
constexpr std::chrono::seconds overflow_timeout{2};

}  // namespace

Connection::Connection(boost::asio::ip::tcp::socket socket, Host& host, std::shared_ptr<Site> site, const LogSink& access_log,
                       const Clock& clock, ConnectionTimeouts timeouts, bool overflow)
    : stream_(std::move(socket)),
      host_(host),
      site_(std::move(site)),
      access_log_(access_log),
      clock_(clock),
      overflow_(overflow),
      request_deadline_(stream_.get_executor()),
      timeouts_(timeouts) {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec);
  from_loopback_ = !ec && peer.address().is_loopback();
  site_->metrics().connection_opened();
}

Connection::~Connection() { site_->metrics().connection_closed(); }

void Connection::start() { read_header(); }

void Connection::stop() {
  stopping_ = true;
  if (!busy_) close();
}

bool Connection::idle() const {
  return !busy_ && !closed_ && buffer_.size() == 0 && (!parser_ || !parser_->got_some());
}

void Connection::evict() { close(); }

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  request_deadline_.cancel();
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

void Connection::read_header() {
  if (stopping_) return close();
  parser_.emplace();
  // Checked once the header is in (so the refusal can be logged with its method and
  // path), then enforced while the body is read.
  parser_->body_limit(boost::none);
  arm_request_deadline(overflow_ ? overflow_timeout : served_ == 0 ? timeouts_.request : timeouts_.idle);
  http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_header(ec);
  });
}

void Connection::arm_request_deadline(std::chrono::seconds timeout) {
  stream_.expires_never();
  timed_out_ = false;
  request_deadline_.expires_after(timeout);
  request_deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->closed_) return;  // cancelled: the read finished first
    self->timed_out_ = true;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
}

bool Connection::read_timed_out(beast::error_code ec) {
  request_deadline_.cancel();
  return ec && timed_out_;  // a read that completed as the deadline fired stands
}

void Connection::on_header(beast::error_code ec) {
  if (read_timed_out(ec)) {
    // A client that connected and sent nothing, or began a request and did not finish it
    // in time, is told so; a kept-alive one that sent nothing more is just closed.
    if (served_ == 0 || buffer_.size() > 0 || parser_->got_some()) {
      site_->metrics().connection_refused("request_timeout");
      return refuse(error_response(ErrorCode::request_timeout, "the request did not arrive in time"));
    }
    return close();
  }
  if (ec == http::error::end_of_stream || ec == boost::asio::error::operation_aborted ||
      ec == beast::error::timeout || ec == boost::asio::error::connection_reset || ec == boost::asio::error::eof ||
      ec == boost::asio::error::bad_descriptor) {
    return close();
  }
  if (ec) return refuse(error_response(ErrorCode::malformed_body, "malformed HTTP request"));

  busy_ = true;
  started_ = SteadyClock::now();
  const auto& request = parser_->get();
  const std::string_view target = request.target();
  method_ = std::string(request.method_string());
  path_ = std::string(target.substr(0, target.find('?')));
  request_id_ = site_->request_id(request["x-request-id"]);

  const auto length = parser_->content_length();
  if (length && *length > max_request_body) {
    return refuse(error_response(ErrorCode::payload_too_large, "the request body is larger than 1 MiB"));
  }
  parser_->body_limit(max_request_body);

  // Clients that wait for permission before sending a body (curl does above 1 KiB).
  const auto expect = request[http::field::expect];
  if (iequals(expect, "100-continue")) {
    auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(stream_, *interim, [self = shared_from_this(), interim](beast::error_code write_ec, std::size_t) {
      if (write_ec) return self->close();
      self->read_body();
    });
    return;
  }
  read_body();
}

void Connection::read_body() {
  arm_request_deadline(overflow_ ? overflow_timeout : timeouts_.request);
  http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_body(ec);
  });
}

void Connection::on_body(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    return refuse(error_response(ErrorCode::payload_too_large, "the request body is larger than 1 MiB"));
  }
  if (read_timed_out(ec)) {
    site_->metrics().connection_refused("request_timeout");
    return refuse(error_response(ErrorCode::request_timeout, "the request body did not arrive in time"));
  }
  if (ec) {
    busy_ = false;
    return close();
  }
  dispatch();
}

void Connection::dispatch() {
  keep_alive_ = parser_->get().keep_alive() && !overflow_;
  if (overflow_ && !(path_ == "/health" && (method_ == "GET" || method_ == "HEAD"))) {
    site_->metrics().connection_refused("overloaded");
    auto busy = error_response(ErrorCode::overloaded, "the server is at its connection limit; try again shortly");
    busy.headers.set("Retry-After", "1");
    return answer(std::move(busy));
  }
  if (path_ == live::path && beast::websocket::is_upgrade(parser_->get())) return upgrade_live();
  auto request = to_core_request(parser_->release());
  stream_.expires_never();  // the core may take its time (object calls, fetch)
  auto done = on_this_thread<Response>([self = shared_from_this()](Response response) {
    self->answer(std::move(response));
  });
  if (site_->answers(request)) return site_->answer(request, from_loopback_, std::move(done));
  host_.handle(std::move(request), std::move(done));
}

template <class Value, class Handler>
std::function<void(Value)> Connection::on_this_thread(Handler handler) {
  // The value may come from the io thread or a compute thread; it is handled on the
  // connection's own, and the connection's thread keeps running until it has come.
  auto home = boost::asio::prefer(stream_.get_executor(), boost::asio::execution::outstanding_work.tracked);
  return [home, handler = std::move(handler)](Value value) mutable {
    boost::asio::dispatch(home, [handler = std::move(handler), value = std::move(value)]() mutable {
      handler(std::move(value));
    });
  };
}

void Connection::upgrade_live() {
  auto request = std::make_shared<BeastRequest>(parser_->release());
  const std::string_view target = request->target();
  const auto mark = target.find('?');
  std::string ticket;
  for (auto& [name, value] : parse_query(mark == std::string_view::npos ? std::string_view{} : target.substr(mark + 1))) {
    if (name == "ticket") ticket = std::move(value);
  }
  const auto tenant = live::ticket_tenant(ticket);
  // Only a configured tenant's ledger is asked: a made-up ticket opens no database.
  if (!tenant || !host_.app().settings().tenants.contains(*tenant)) {
    return answer(error_response(ErrorCode::unauthenticated, "a valid live ticket is required"));
  }
  stream_.expires_after(io_timeout);
  using objects::protocol::LiveTake;
  auto on_reply = on_this_thread<ObjectReply>([self = shared_from_this(), request, tenant = *tenant](ObjectReply reply) {
    if (!reply) return self->answer(error_response(reply.error()));
    auto taken = objects::protocol::decode_reply<LiveTake>(*reply);
    if (!taken) return self->answer(error_response(taken.error()));
    self->hand_over_live(request, tenant, std::move(taken->types));
  });
  // Objects are called on the io thread.
  boost::asio::post(host_.io(), [&host = host_, object = ObjectKey{"ledger", *tenant},
                                 message = objects::protocol::encode_request<LiveTake>({ticket}),
                                 on_reply = std::move(on_reply)]() mutable {
    host.call_object(object, std::move(message), std::move(on_reply));
  });
}

void Connection::hand_over_live(const std::shared_ptr<BeastRequest>& request, const std::string& tenant,
                                std::vector<std::string> taken_types) {
  const auto elapsed = std::chrono::duration<double, std::milli>(SteadyClock::now() - started_).count();
  Response switching;
  switching.status = 101;
  site_->metrics().record(live::path, method_, path_, switching, elapsed / 1000);
  RequestLogEntry entry;
  entry.unix_ms = clock_();
  entry.request_id = request_id_;
  entry.method = method_;
  entry.path = path_;
  entry.status = 101;
  entry.duration_ms = elapsed;
  access_log_(request_log_line(entry));
  closed_ = true;  // the socket is the LiveSocket's from here
  // The hub publishes on the io thread, so the socket moves to the io thread's context.
  beast::error_code ec;
  auto socket = stream_.release_socket();
  const auto protocol = socket.local_endpoint(ec).protocol();
  const auto handle = ec ? -1 : socket.release(ec);
  if (ec) return;  // the client is gone: nothing to hand over
  boost::asio::post(host_.io(), [&host = host_, request, tenant, handle, protocol,
                                 types = std::set<std::string, std::less<>>(taken_types.begin(), taken_types.end())]() {
    boost::asio::ip::tcp::socket moved(host.io());
    beast::error_code assign_ec;
    moved.assign(protocol, handle, assign_ec);
    if (assign_ec) {
      ::close(handle);
      return;
    }
    auto live = std::make_shared<LiveSocket>(beast::tcp_stream(std::move(moved)), std::move(types));
    auto& hub = host.live();
    live->accept(*request, [&hub, live, tenant] { hub.add(tenant, live); });
  });
}

void Connection::answer(Response response) {
  const int status = response.status;
  const auto elapsed = std::chrono::duration<double, std::milli>(SteadyClock::now() - started_).count();
  site_->metrics().record(site_->route_of(method_, path_), method_, path_, response, elapsed / 1000);
  if (request_id_.empty()) request_id_ = site_->request_id({});  // refused before its header was read
  RequestLogEntry entry;
  entry.unix_ms = clock_();
  entry.request_id = request_id_;
  entry.method = method_;
  entry.path = path_;
  entry.status = status;
  entry.duration_ms = elapsed;
  entry.fields = &response.log_fields;
  access_log_(request_log_line(entry));
  response.headers.set("X-Request-Id", request_id_);
  response_ = to_beast_response(std::move(response), method_ == "HEAD");
  write();
}

void Connection::refuse(const Response& response) {
  if (!busy_) started_ = SteadyClock::now();  // refused before the header was complete
  busy_ = true;
  keep_alive_ = false;
  refused_ = true;
  answer(response);
}

void Connection::write() {
  const bool keep_alive = keep_alive_ && !stopping_;
  response_.keep_alive(keep_alive);
  stream_.expires_after(io_timeout);
  http::async_write(stream_, response_, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
    self->busy_ = false;
    ++self->served_;
    self->method_.clear();
    self->path_.clear();
    self->request_id_.clear();
    if (!ec && self->refused_) return self->linger_close();
    if (ec || !keep_alive) return self->close();
    self->read_header();
  });
}

void Connection::linger_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  drain_buffer_ = std::make_shared<std::array<char, 16384>>();
  stream_.expires_after(std::chrono::seconds(2));
  drain();
}

void Connection::drain() {
  // Reads and drops what the client still sends, until it closes, for at most 2 s and
  // a few MiB; then the connection closes cleanly.
  constexpr std::uint64_t max_drained = 4U << 20;
  stream_.async_read_some(boost::asio::buffer(*drain_buffer_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t read) {
                            self->drained_ += read;
                            if (ec || self->drained_ > max_drained) return self->close();
                            self->drain();
                          });
}

}  // namespace frontdesk::native
