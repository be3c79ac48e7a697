#pragma once
// `frontdesk events`: the stored events, newest first, one JSON object per line.
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace frontdesk::native {

struct EventsOptions {
  std::string db_path;
  std::string source;  // "" for every source
  std::int64_t limit = 100;
};

std::variant<EventsOptions, std::string> parse_events_args(std::span<const std::string_view> args);

inline constexpr std::string_view events_usage = "frontdesk events --db FILE [--source S] [--limit N]";

// Reads every tenant's ledger through the core's own ledger object; 0, or 1 when the
// database cannot be read.
int run_events(const EventsOptions& options, std::ostream& out, std::ostream& err);

int events_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
