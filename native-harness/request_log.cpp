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

std::string request_log_line(std::int64_t unix_ms, std::string_view method, std::string_view path, int status,
                             double duration_ms) {
  // Built by hand: Boost.JSON would print the duration as 4.12E-1.
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", duration_ms);
  std::string line;
  line.reserve(96 + path.size());
  line += "{\"ts\":";
  line += quoted(iso8601_utc(unix_ms));
  line += ",\"method\":";
  line += quoted(method);
  line += ",\"path\":";
  line += quoted(path);
  line += ",\"status\":";
  line += std::to_string(status);
  line += ",\"duration_ms\":";
  line += duration;
  line += '}';
  return line;
}

}  // namespace frontdesk::native
