#include "events_command.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <vector>

#include "cli_flags.hpp"
#include "core/app.hpp"
#include "host.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {
namespace json = boost::json;

std::variant<EventsOptions, std::string> parse_events_args(std::span<const std::string_view> args) {
  EventsOptions options;
  auto flags = split_flags(args, {"--db", "--source", "--limit"});
  if (const auto* error = std::get_if<std::string>(&flags)) return *error;
  for (const auto& [flag, value] : std::get<Flags>(flags)) {
    if (flag == "--db") {
      options.db_path = std::string(value);
    } else if (flag == "--source") {
      options.source = std::string(value);
    } else {
      const std::string text(value);
      const bool digits = !text.empty() && text.size() <= 6 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || std::stoll(text) < 1 || std::stoll(text) > 1000) return "--limit takes 1 to 1000";
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
  auto store = Store::open(options.db_path);
  if (!store) {
    err << "frontdesk events: " << store.error().message << "\n";
    return 1;
  }
  auto tenants = store->object_ids("ledger");
  if (!tenants) {
    err << "frontdesk events: " << tenants.error().message << "\n";
    return 1;
  }
  // The ledger object needs no configuration of its own.
  const auto app = App::create("{}", [](std::string_view) { return std::optional<std::string>{}; });
  boost::asio::io_context io{1};
  Host host(io, *app, *store);
  json::object request{{"op", "list_events"}, {"limit", options.limit}};
  if (!options.source.empty()) request["source"] = options.source;
  const auto message = json::serialize(request);

  std::vector<json::object> events;
  std::optional<Error> failure;
  for (const auto& tenant : *tenants) {
    host.call_object({"ledger", tenant}, message, [&](ObjectReply reply) {
      if (!reply) {
        failure = reply.error();
        return;
      }
      json::error_code ec;
      auto parsed = json::parse(*reply, ec);
      const auto* object = ec ? nullptr : parsed.if_object();
      const auto* list = object ? object->if_contains("events") : nullptr;
      if (!list || !list->is_array()) return;
      for (const auto& event : list->get_array()) {
        if (event.is_object()) events.push_back(event.get_object());
      }
    });
  }
  io.run();
  if (failure) {
    err << "frontdesk events: " << failure->message << "\n";
    return 1;
  }
  const auto key = [](const json::object& e) {
    const auto* at = e.if_contains("received_at");
    return at && at->is_string() ? std::string(at->get_string()) : std::string{};
  };
  std::stable_sort(events.begin(), events.end(), [&](const auto& a, const auto& b) { return key(a) > key(b); });
  if (events.size() > static_cast<std::size_t>(options.limit)) events.resize(static_cast<std::size_t>(options.limit));
  for (const auto& event : events) out << json::serialize(event) << "\n";
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
