#pragma once
// The access log: one JSON line per request. Only the method, the path (never the query,
// headers or body: they carry tokens and signatures), the status and the time taken.
#include <cstdint>
#include <string>
#include <string_view>

namespace frontdesk::native {

// {"ts":"2025-01-02T03:04:05.678Z","method":"GET","path":"/health","status":200,"duration_ms":0.412}
std::string request_log_line(std::int64_t unix_ms, std::string_view method, std::string_view path, int status,
                             double duration_ms);

// Unix milliseconds as ISO 8601 UTC with milliseconds.
std::string iso8601_utc(std::int64_t unix_ms);

}  // namespace frontdesk::native
