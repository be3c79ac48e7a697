#pragma once
// What the native server answers itself, before the core: the console's built files (the
// same ones the Worker serves as static assets) and GET /metrics (the whole server's
// Prometheus metrics plus every configured tenant's, read from their ledgers).
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>

#include "core/http.hpp"
#include "host.hpp"
#include "server_metrics.hpp"

namespace frontdesk::native {

struct SiteOptions {
  std::optional<std::filesystem::path> console_dir;  // build/console; none: no console
};

class Site {
 public:
  Site(Host& host, const App& app, SiteOptions options = {});

  // Whether the server answers this request itself.
  bool answers(const Request& request) const;
  // The request's route for the metrics: the core's pattern, "/metrics", "console" (a file
  // of the console), or "other".
  std::string_view route_of(std::string_view method, std::string_view path) const;
  // from_loopback: the client connected from a loopback address (then /metrics needs no
  // token when none is configured). Called on the connections' thread; /metrics is gathered
  // on the io thread, where done then runs.
  void answer(const Request& request, bool from_loopback, std::function<void(Response)> done);

  ServerMetrics& metrics() { return metrics_; }

  // The id a request is known by in the log and its X-Request-Id answer header: the
  // client's own X-Request-Id when it is a plain token, else req_ and 16 hex digits unique
  // to this server's run.
  std::string request_id(std::string_view offered);

 private:
  std::optional<std::filesystem::path> console_file(std::string_view path) const;
  void answer_metrics(const Request& request, bool from_loopback, std::function<void(Response)> done);

  Host& host_;
  const App& app_;
  SiteOptions options_;
  ServerMetrics metrics_;
  std::uint64_t run_id_;
  std::atomic<std::uint64_t> requests_ = 0;
};

}  // namespace frontdesk::native
