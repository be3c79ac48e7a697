#pragma once
// `frontdesk events`: the stored events, one JSON object per line.
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace frontdesk::native {

struct EventsOptions {
  std::string db_path;
  // Filters; "" for any. since/until bound received_at (since inclusive, until exclusive),
  // an RFC 3339 time or a date ("2026-11-30": that day's start).
  std::string source;
  std::string type;
  std::string tenant;
  std::string since;
  std::string until;
  // Where an earlier run stopped ("tenant:seq", as it printed), "" from the start.
  std::string cursor;
  std::int64_t limit = 0;  // 0: every matching event
};

std::variant<EventsOptions, std::string> parse_events_args(std::span<const std::string_view> args);

inline constexpr std::string_view events_usage =
    "frontdesk events --db FILE [--source S] [--type T] [--tenant T] [--since TIME] [--until TIME] "
    "[--limit N] [--cursor C]";

// Streams the matching events, tenant by tenant and newest first within each, a page at a
// time (constant memory however many there are), through the running server when one
// serves the database. When --limit stops it before the end it says on err where to go on
// (--cursor). 0, or 1 when the database cannot be read.
int run_events(const EventsOptions& options, std::ostream& out, std::ostream& err);

int events_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
