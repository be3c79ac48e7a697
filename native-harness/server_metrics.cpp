#include "server_metrics.hpp"

namespace frontdesk::native {
namespace {

constexpr std::string_view webhook_prefix = "/webhooks/";

// "verified", "duplicate" or the refusal's error code, as the core told the log.
std::string webhook_result(const Response& response) {
  for (const auto& [name, value] : response.log_fields) {
    if ((name == "outcome" && response.status == 200) || name == "error") return value;
  }
  return "status_" + std::to_string(response.status);
}

bool signature_failure(std::string_view code) {
  return code == "missing_signature" || code == "bad_signature" || code == "stale_timestamp";
}

}  // namespace

void ServerMetrics::record(std::string_view route_label, std::string_view method, std::string_view path,
                           const Response& response, double seconds) {
  const std::string route(route_label);
  const std::lock_guard lock(mutex_);
  ++requests_[{route, std::string(method), response.status}];
  auto& histogram = durations_[route];
  for (std::size_t i = 0; i < duration_bounds.size(); ++i) {
    if (seconds <= duration_bounds[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
  if (route == "/webhooks/{source}" && path.rfind(webhook_prefix, 0) == 0) {
    const std::string source(path.substr(webhook_prefix.size()));
    const auto result = webhook_result(response);
    ++webhooks_[{source, result}];
    if (signature_failure(result)) ++signature_failures_[{source, result}];
  }
}

void ServerMetrics::connection_opened() {
  const std::lock_guard lock(mutex_);
  ++open_connections_;
}

void ServerMetrics::connection_closed() {
  const std::lock_guard lock(mutex_);
  --open_connections_;
}

void ServerMetrics::connection_refused(std::string_view reason) {
  const std::lock_guard lock(mutex_);
  ++refused_[std::string(reason)];
}

std::vector<metrics::Family> ServerMetrics::families() const {
  using metrics::Family;
  using metrics::Kind;
  const std::lock_guard lock(mutex_);
  Family requests{"frontdesk_http_requests_total", "HTTP requests answered, by route, method and status.",
                  Kind::counter, {}};
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    requests.samples.push_back(
        {"", {{"route", route}, {"method", method}, {"status", std::to_string(status)}}, static_cast<double>(count)});
  }
  Family durations{"frontdesk_http_request_duration_seconds", "Time from a complete request to its answer, by route.",
                   Kind::histogram, {}};
  for (const auto& [route, histogram] : durations_) {
    std::vector<double> cumulative(histogram.buckets.begin(), histogram.buckets.end());
    metrics::add_histogram(durations, {{"route", route}}, duration_bounds, cumulative,
                           static_cast<double>(histogram.count), histogram.sum);
  }
  Family webhooks{"frontdesk_webhooks_total",
                  "Webhook deliveries by source and result: verified, duplicate, or the refusal's error code.",
                  Kind::counter, {}};
  for (const auto& [key, count] : webhooks_) {
    webhooks.samples.push_back({"", {{"source", key.first}, {"result", key.second}}, static_cast<double>(count)});
  }
  Family failures{"frontdesk_signature_failures_total", "Webhook deliveries refused for their signature, by code.",
                  Kind::counter, {}};
  for (const auto& [key, count] : signature_failures_) {
    failures.samples.push_back({"", {{"source", key.first}, {"code", key.second}}, static_cast<double>(count)});
  }
  Family connections{"frontdesk_open_connections", "Client connections open now.", Kind::gauge, {}};
  connections.samples.push_back({"", {}, static_cast<double>(open_connections_)});
  Family refused{"frontdesk_connections_refused_total",
                 "Connections the limits ended: evicted_idle (room for a new one), overloaded (503 at the limit), "
                 "request_timeout (408).",
                 Kind::counter, {}};
  for (const auto reason : {"evicted_idle", "overloaded", "request_timeout"}) {
    const auto found = refused_.find(reason);
    refused.samples.push_back({"", {{"reason", reason}}, static_cast<double>(found == refused_.end() ? 0 : found->second)});
  }
  return {std::move(requests), std::move(durations), std::move(webhooks),
          std::move(failures), std::move(connections), std::move(refused)};
}

}  // namespace frontdesk::native
