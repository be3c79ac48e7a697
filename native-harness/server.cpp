#include "server.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace frontdesk::native {
namespace {

using tcp = boost::asio::ip::tcp;

Error listen_error(const ListenAddress& address, std::string_view what, const boost::system::error_code& ec) {
  return Error{ErrorCode::internal,
               "cannot " + std::string(what) + " " + address.host + ":" + address.port + ": " + ec.message()};
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  auto host = text.substr(0, colon);
  const auto port = text.substr(colon + 1);
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) || port.size() > 5) {
    return std::nullopt;
  }
  if (host.starts_with('[')) {
    if (!host.ends_with(']') || host.size() < 3) return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 address needs brackets
  }
  if (std::stoul(std::string(port)) > 65535) return std::nullopt;
  return ListenAddress{std::string(host), std::string(port)};
}

std::size_t default_max_connections(std::size_t open_files_limit, std::size_t open_objects) {
  // A database, its WAL, its shared memory and the WAL kept for syncing; then the listener,
  // standard streams, outbound fetches and what else comes.
  const std::size_t reserved = 4 * open_objects + 64;
  return open_files_limit > reserved + 16 ? open_files_limit - reserved : 16;
}

Server::Server(Host& host, LogSink access_log, Clock clock, SiteOptions site, ServerLimits limits)
    : host_(host),
      site_(std::make_shared<Site>(host, host.app(), std::move(site))),
      access_log_(std::move(access_log)),
      clock_(std::move(clock)),
      acceptor_(io_),
      limits_(limits),
      retry_(io_) {}

Result<void> Server::listen(const ListenAddress& address) {
  boost::system::error_code ec;
  tcp::resolver resolver(io_);
  const auto endpoints = resolver.resolve(address.host, address.port, tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) return listen_error(address, "resolve", ec);
  const tcp::endpoint endpoint = *endpoints.begin();
  if (acceptor_.open(endpoint.protocol(), ec); ec) return listen_error(address, "open", ec);
  if (acceptor_.set_option(tcp::acceptor::reuse_address(true), ec); ec) return listen_error(address, "configure", ec);
  if (acceptor_.bind(endpoint, ec); ec) return listen_error(address, "bind", ec);
  if (acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec); ec) {
    return listen_error(address, "listen on", ec);
  }
  endpoint_ = acceptor_.local_endpoint(ec);
  accept();
  host_running_.emplace(host_.io().get_executor());
  thread_ = std::thread([this] {
    io_.run();
    host_running_.reset();  // thread-safe: it only counts the host's work down
  });
  return {};
}

Server::~Server() {
  if (!thread_.joinable()) return;
  stop();
  thread_.join();
}

void Server::accept() {
  acceptor_.async_accept(io_, [this](boost::system::error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (ec) {
      // A failed accept (a client gone, out of file descriptors) must not stop the
      // server, nor spin: try again shortly.
      retry_.expires_after(std::chrono::milliseconds(50));
      retry_.async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec && !stopped_) accept();
      });
      return;
    }
    admit(std::move(socket));
    if (open_connections() < limits_.max_connections + limits_.overflow_connections) return accept();
    // Full: the next clients wait in the listen backlog until some connections close.
    retry_.expires_after(std::chrono::milliseconds(20));
    retry_.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && !stopped_) accept();
    });
  });
}

std::size_t Server::open_connections() {
  std::erase_if(connections_, [](const auto& weak) {
    const auto connection = weak.lock();
    return !connection || connection->closed();
  });
  return connections_.size();
}

void Server::admit(tcp::socket socket) {
  bool overflow = false;
  if (open_connections() >= limits_.max_connections) {
    // Room is made by closing the connection idle the longest (accepted first).
    const auto idle = std::find_if(connections_.begin(), connections_.end(), [](const auto& weak) {
      const auto connection = weak.lock();
      return connection && connection->idle();
    });
    if (idle != connections_.end()) {
      idle->lock()->evict();
      connections_.erase(idle);
      site_->metrics().connection_refused("evicted_idle");
    } else {
      overflow = true;
    }
  }
  auto connection = std::make_shared<Connection>(std::move(socket), host_, site_, access_log_, clock_,
                                                 limits_.timeouts, overflow);
  connections_.push_back(connection);
  connection->start();
}

void Server::stop() {
  boost::asio::post(io_, [this] { stop_here(); });
}

void Server::stop_here() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
  for (const auto& weak : connections_) {
    if (auto connection = weak.lock()) connection->stop();
  }
  connections_.clear();
}

}  // namespace frontdesk::native
