#pragma once
// Retention natively: every ledger's `prune` (core/objects/ledger/retention.cpp) a minute
// after start and then hourly; a ledger whose batch was full is pruned again shortly, one
// ledger at a time, so the work never crowds out the traffic.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "host.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {

class RetentionTimer {
 public:
  RetentionTimer(boost::asio::io_context& io, Host& host, Store& store,
                 std::chrono::milliseconds first = std::chrono::minutes(1),
                 std::chrono::milliseconds period = std::chrono::hours(1));
  RetentionTimer(const RetentionTimer&) = delete;
  RetentionTimer& operator=(const RetentionTimer&) = delete;

  void start();
  void stop();

 private:
  void wait(std::chrono::milliseconds delay);
  void prune_next();

  Host& host_;
  Store& store_;
  std::chrono::milliseconds first_;
  std::chrono::milliseconds period_;
  boost::asio::steady_timer timer_;
  std::vector<std::string> ledgers_;  // still to prune in this round
  bool stopped_ = false;
};

}  // namespace frontdesk::native
