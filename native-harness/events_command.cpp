#include "events_command.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_flags.hpp"
#include "core/app.hpp"
#include "core/event.hpp"
#include "host.hpp"
#include "ledger_client.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {
namespace json = boost::json;

namespace {

constexpr std::int64_t page_size = 1000;

bool digits_only(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "2026-11-30" or "2026-11-30T08:00:00Z"-like: what sorts with the stored RFC 3339 times.
bool time_like(std::string_view text) {
  return text.size() >= 10 && digits_only(text.substr(0, 4)) && text[4] == '-' && digits_only(text.substr(5, 2)) &&
         text[7] == '-' && digits_only(text.substr(8, 2));
}

struct Cursor {
  std::string tenant;
  std::optional<std::int64_t> before_seq;  // none: the tenant from its newest event
};

std::optional<Cursor> parse_cursor(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  Cursor cursor{std::string(text.substr(0, colon)), std::nullopt};
  const auto seq = text.substr(colon + 1);
  if (seq.empty()) return cursor;
  if (!digits_only(seq) || seq.size() > 18) return std::nullopt;
  cursor.before_seq = std::stoll(std::string(seq));
  return cursor;
}

}  // namespace

std::variant<EventsOptions, std::string> parse_events_args(std::span<const std::string_view> args) {
  EventsOptions options;
  auto flags = split_flags(args, {"--db", "--source", "--type", "--tenant", "--since", "--until", "--limit", "--cursor"});
  if (const auto* error = std::get_if<std::string>(&flags)) return *error;
  for (const auto& [flag, value] : std::get<Flags>(flags)) {
    const std::string text(value);
    if (flag == "--db") {
      options.db_path = text;
    } else if (flag == "--source") {
      options.source = text;
    } else if (flag == "--type") {
      options.type = text;
    } else if (flag == "--tenant") {
      options.tenant = text;
    } else if (flag == "--since" || flag == "--until") {
      if (!time_like(text)) return std::string(flag) + " takes a date or an RFC 3339 time (2026-11-30T08:00:00Z)";
      (flag == "--since" ? options.since : options.until) = text;
    } else if (flag == "--cursor") {
      if (!parse_cursor(text)) return std::string("--cursor takes what an earlier run printed (tenant:seq)");
      options.cursor = text;
    } else {
      if (!digits_only(text) || text.size() > 12 || std::stoll(text) < 1) return "--limit takes a positive number";
      options.limit = std::stoll(text);
    }
  }
  if (options.db_path.empty()) return std::string("--db is required");
  return options;
}

int run_events(const EventsOptions& options, std::ostream& out, std::ostream& err) {
  if (!std::filesystem::exists(options.db_path)) {
    err << "frontdesk events: no database at " << options.db_path << "\n";
    return 1;
  }
  // The ledger object needs no configuration of its own.
  const auto app = App::create("{}", [](std::string_view) { return std::optional<std::string>{}; });
  auto access = LedgerAccess::open(options.db_path, *app);
  if (!access) {
    err << "frontdesk events: " << access.error().message << "\n";
    return 1;
  }
  auto tenants = (*access)->tenants();
  if (!tenants) {
    err << "frontdesk events: " << tenants.error().message << "\n";
    return 1;
  }
  std::sort(tenants->begin(), tenants->end());
  const auto cursor = options.cursor.empty() ? std::nullopt : parse_cursor(options.cursor);
  objects::protocol::EventList::Request filters;
  for (const auto& [field, value] : {std::pair{&filters.source, &options.source}, std::pair{&filters.type, &options.type},
                                     std::pair{&filters.since, &options.since}, std::pair{&filters.until, &options.until}}) {
    if (!value->empty()) *field = *value;
  }

  std::int64_t printed = 0;
  for (std::size_t t = 0; t < tenants->size(); ++t) {
    const auto& tenant = (*tenants)[t];
    if (!options.tenant.empty() && tenant != options.tenant) continue;
    if (cursor && tenant < cursor->tenant) continue;
    // 0: from the tenant's newest event (seqs start at 1). Not an optional: GCC 12 at -O3
    // takes one for uninitialized here.
    std::int64_t before = cursor && tenant == cursor->tenant ? cursor->before_seq.value_or(0) : 0;
    while (true) {
      if (options.limit > 0 && printed == options.limit) {
        // Stopped by --limit at a page's end: the next run goes on from here.
        err << "frontdesk events: more may follow: --cursor " << tenant << ":"
            << (before > 0 ? std::to_string(before) : std::string{}) << "\n";
        out.flush();
        return 0;
      }
      auto request = filters;
      request.limit = options.limit > 0 ? std::min(page_size, options.limit - printed) : page_size;
      if (before > 0) request.before_seq = before;
      auto page = (*access)->call<objects::protocol::EventList>(tenant, request);
      if (!page) {
        err << "frontdesk events: tenant " << tenant << ": " << page.error().message << "\n";
        return 1;
      }
      for (const auto& event : page->events) out << json::serialize(event_to_json(event)) << "\n";
      printed += static_cast<std::int64_t>(page->events.size());
      if (!page->next) break;  // this tenant is done
      before = *page->next;
    }
  }
  out.flush();
  return 0;
}

int events_main(std::span<const std::string_view> args) {
  auto parsed = parse_events_args(args);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    std::cerr << "frontdesk events: " << *error << "\nusage: " << events_usage << "\n";
    return 2;
  }
  return run_events(std::get<EventsOptions>(parsed), std::cout, std::cerr);
}

}  // namespace frontdesk::native
