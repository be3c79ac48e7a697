#include "request_log.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <chrono>
#include <cstdio>

namespace frontdesk::native {
namespace {

// A JSON string literal, escaped (a path may hold quotes or control bytes).
std::string quoted(std::string_view text) { return boost::json::serialize(boost::json::string(text)); }

}  // namespace

std::string iso8601_utc(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> time{milliseconds(unix_ms)};
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long long>(clock.hours().count()), static_cast<long long>(clock.minutes().count()),
                static_cast<long long>(clock.seconds().count()), static_cast<long long>(clock.subseconds().count()));
  return text;
}

std::string request_log_line(const RequestLogEntry& entry) {
  // Built by hand: Boost.JSON would print the duration as 4.12E-1.
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", entry.duration_ms);
  const char* level = entry.status >= 500 ? "error" : entry.status >= 400 ? "warn" : "info";
  std::string line;
  line.reserve(160 + entry.path.size());
  line += "{\"ts\":";
  line += quoted(iso8601_utc(entry.unix_ms));
  line += ",\"level\":\"";
  line += level;
  line += '"';
  if (!entry.request_id.empty()) {
    line += ",\"request_id\":";
    line += quoted(entry.request_id);
  }
  line += ",\"method\":";
  line += quoted(entry.method);
  line += ",\"path\":";
  line += quoted(entry.path);
  line += ",\"status\":";
  line += std::to_string(entry.status);
  line += ",\"duration_ms\":";
  line += duration;
  if (entry.fields) {
    for (const auto& [name, value] : *entry.fields) {
      line += ',';
      line += quoted(name);
      line += ':';
      line += quoted(value);
    }
  }
  line += '}';
  return line;
}

}  // namespace frontdesk::native
