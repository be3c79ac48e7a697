#pragma once
// The native server's own Prometheus metrics: requests by route and status, their
// duration, webhook deliveries by source and result, signature failures, open connections
// and the connections the limits ended.
// Kept in memory (they restart at zero with the process, as counters may). Recorded on the
// connections' thread and read on the io thread (GET /metrics): one lock guards them.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "core/http.hpp"
#include "core/metrics/prometheus.hpp"

namespace frontdesk::native {

class ServerMetrics {
 public:
  // route: a label of bounded cardinality (Site::route_of).
  void record(std::string_view route, std::string_view method, std::string_view path, const Response& response,
              double seconds);
  void connection_opened();
  void connection_closed();
  // A connection the limit or a timeout ended: "evicted_idle", "overloaded", "request_timeout".
  void connection_refused(std::string_view reason);

  std::vector<metrics::Family> families() const;

 private:
  static constexpr std::array<double, 11> duration_bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                          0.5,   1,    2.5,   5,    10};
  struct Histogram {
    std::array<std::uint64_t, duration_bounds.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // route, method, status
  std::map<std::string, Histogram> durations_;                                    // by route
  std::map<std::pair<std::string, std::string>, std::uint64_t> webhooks_;       // source, result
  std::map<std::pair<std::string, std::string>, std::uint64_t> signature_failures_;  // source, code
  std::int64_t open_connections_ = 0;
  std::map<std::string, std::uint64_t> refused_;  // by reason
};

}  // namespace frontdesk::native
