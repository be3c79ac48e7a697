#pragma once
// The access log: one JSON line per request. Only the method, the path (never the query,
// headers or body: they carry tokens and signatures), the status and the time taken.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace frontdesk::native {

// One request as the log tells it. What the core learned (source, tenant, event_id,
// outcome; a refusal's error and message) comes in fields.
struct RequestLogEntry {
  std::int64_t unix_ms = 0;
  std::string_view request_id;
  std::string_view method;
  std::string_view path;
  int status = 0;
  double duration_ms = 0;
  const std::vector<std::pair<std::string, std::string>>* fields = nullptr;
};

// {"ts":"2025-01-02T03:04:05.678Z","level":"info","request_id":"req_…","method":"POST",
//  "path":"/webhooks/telnyx","status":200,"duration_ms":0.412,"source":"telnyx",
//  "tenant":"acme","event_id":"evt_…","outcome":"verified"}
// level is "warn" for a 4xx, "error" for a 5xx, which add "error" and "message".
std::string request_log_line(const RequestLogEntry& entry);

// Unix milliseconds as ISO 8601 UTC with milliseconds.
std::string iso8601_utc(std::int64_t unix_ms);

}  // namespace frontdesk::native
