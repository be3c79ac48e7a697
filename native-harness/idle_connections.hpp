#pragma once
// Kept-alive outbound connections for the fetch effect (http_client.cpp). A provider's API
// and a tenant's endpoints are sent to again and again; a new TCP connection for each
// request, and a TLS handshake over it, cost more than the request itself. An answered
// request leaves its connection here when the peer keeps it alive; the next request to the
// same origin takes the newest one. Idle ones are closed after a few seconds, before the
// usual server-side keep-alive timeouts (5 s in Node, 60 s in nginx) close them under us.
#include <poll.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>

namespace frontdesk::native {

struct IdleLimits {
  std::chrono::milliseconds idle_for{4000};
  std::size_t per_origin = 32;
};

template <class Stream>
class IdleConnections {
 public:
  explicit IdleConnections(IdleLimits limits = {}) : limits_(limits) {}

  // A connection whose last answer was complete and kept alive.
  void put(const std::string& origin, std::unique_ptr<Stream> stream) {
    auto& idle = idle_[origin];
    if (idle.size() >= limits_.per_origin) {
      close(*idle.front().stream);
      idle.pop_front();
    }
    idle.push_back({std::move(stream), Clock::now()});
  }

  // The newest open idle connection to origin, or null.
  std::unique_ptr<Stream> take(const std::string& origin) {
    const auto it = idle_.find(origin);
    if (it == idle_.end()) return nullptr;
    auto& idle = it->second;
    std::unique_ptr<Stream> found;
    while (!idle.empty() && !found) {
      auto entry = std::move(idle.back());
      idle.pop_back();
      if (fresh(entry) && still_open(*entry.stream)) {
        found = std::move(entry.stream);
      } else {
        close(*entry.stream);
      }
    }
    if (idle.empty()) idle_.erase(it);
    return found;
  }

  // Closes what has been idle too long.
  void prune() {
    for (auto it = idle_.begin(); it != idle_.end();) {
      auto& idle = it->second;
      while (!idle.empty() && !fresh(idle.front())) {
        close(*idle.front().stream);
        idle.pop_front();
      }
      it = idle.empty() ? idle_.erase(it) : std::next(it);
    }
  }

  std::size_t size() const {
    std::size_t total = 0;
    for (const auto& [origin, idle] : idle_) total += idle.size();
    return total;
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::unique_ptr<Stream> stream;
    Clock::time_point since;
  };

  static boost::asio::ip::tcp::socket& socket(Stream& stream) {
    return boost::beast::get_lowest_layer(stream).socket();
  }
  bool fresh(const Entry& entry) const { return Clock::now() - entry.since < limits_.idle_for; }
  // A peer that closed the connection (or sent something unasked) makes it readable.
  static bool still_open(Stream& stream) {
    pollfd probe{socket(stream).native_handle(), POLLIN, 0};
    return ::poll(&probe, 1, 0) == 0;
  }
  static void close(Stream& stream) {
    boost::system::error_code ignored;
    socket(stream).close(ignored);
  }

  IdleLimits limits_;
  std::map<std::string, std::deque<Entry>> idle_;
};

}  // namespace frontdesk::native
