#include "live_socket.hpp"

namespace frontdesk::native {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

// A client that reads nothing for this long while events wait is dropped, not buffered for.
constexpr std::size_t max_queued = 1000;

}  // namespace

LiveSocket::LiveSocket(beast::tcp_stream stream, std::set<std::string, std::less<>> types)
    : stream_(std::move(stream)), types_(std::move(types)) {}

void LiveSocket::accept(const beast::http::request<beast::http::string_body>& request, std::function<void()> on_open) {
  beast::get_lowest_layer(stream_).expires_never();
  stream_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  stream_.async_accept(request, [self = shared_from_this(), on_open = std::move(on_open)](beast::error_code ec) {
    if (ec) return;
    self->open_ = true;
    on_open();
    self->read();
    self->write_next();
  });
}

void LiveSocket::read() {
  stream_.async_read(incoming_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->open_ = false;
      return;
    }
    self->incoming_.consume(self->incoming_.size());  // the console sends nothing we need
    self->read();
  });
}

void LiveSocket::send(std::string message) {
  if (!open_) return;
  if (outgoing_.size() >= max_queued) return close();
  outgoing_.push_back(std::move(message));
  write_next();
}

void LiveSocket::write_next() {
  if (writing_ || !open_ || outgoing_.empty()) return;
  writing_ = true;
  stream_.text(true);
  stream_.async_write(boost::asio::buffer(outgoing_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->writing_ = false;
    self->outgoing_.pop_front();
    if (ec) {
      self->open_ = false;
      return;
    }
    self->write_next();
  });
}

void LiveSocket::close() {
  if (!open_) return;
  open_ = false;
  stream_.async_close(websocket::close_code::going_away, [self = shared_from_this()](beast::error_code) {});
}

}  // namespace frontdesk::native
