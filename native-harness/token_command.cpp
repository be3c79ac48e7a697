#include "token_command.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <map>
#include <string>

#include "cli_flags.hpp"
#include "core/api/scopes.hpp"
#include "ledger_client.hpp"

namespace frontdesk::native {
namespace json = boost::json;
namespace {

int fail_usage(std::ostream& err, std::string_view problem) {
  err << "frontdesk token: " << problem << "\nusage: " << token_usage << "\n";
  return 2;
}

std::optional<std::int64_t> positive(const std::string& text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value > 0 ? std::optional<std::int64_t>{value} : std::nullopt;
}

std::variant<json::object, std::string> create_message(std::map<std::string, std::string, std::less<>>& flags) {
  // Separated by commas or spaces; --scopes may also be given more than once.
  json::array scopes;
  std::string_view rest = flags["--scopes"];
  while (!rest.empty()) {
    const auto end = rest.find_first_of(", ");
    const auto scope = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (scope.empty()) continue;
    if (!frontdesk::api::known_scope(scope)) return "unknown scope '" + std::string(scope) + "'";
    if (std::find(scopes.begin(), scopes.end(), json::value(scope)) == scopes.end()) scopes.emplace_back(scope);
  }
  if (scopes.empty()) return std::string("--scopes is required (comma-separated)");
  json::object message{{"op", "token_create"}, {"name", flags["--name"]}, {"scopes", std::move(scopes)},
                       {"created_by", "cli"}};
  if (!flags["--expires-in"].empty()) {
    const auto seconds = positive(flags["--expires-in"]);
    if (!seconds) return std::string("--expires-in takes a positive number of seconds");
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    message["expires_at_ms"] = now_ms + *seconds * 1000;
  }
  if (!flags["--rate-limit"].empty()) {
    const auto limit = positive(flags["--rate-limit"]);
    if (!limit) return std::string("--rate-limit takes a positive number of requests per minute");
    message["rate_limit"] = *limit;
  }
  return message;
}

}  // namespace

int token_main(std::span<const std::string_view> args) { return run_token(args, std::cout, std::cerr); }

int run_token(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return fail_usage(err, "an action is required");
  const auto action = args[0];
  auto split = split_flags(args.subspan(1),
                           {"--db", "--tenant", "--config", "--scopes", "--name", "--expires-in", "--rate-limit", "--id"});
  if (const auto* error = std::get_if<std::string>(&split)) return fail_usage(err, *error);
  std::map<std::string, std::string, std::less<>> flags;
  for (const auto& [name, value] : std::get<Flags>(split)) {
    auto& kept = flags[std::string(name)];
    kept = name == "--scopes" && !kept.empty() ? kept + "," + std::string(value) : std::string(value);
  }
  if (flags["--db"].empty()) flags["--db"] = default_db_path();
  if (flags["--tenant"].empty()) return fail_usage(err, "--tenant is required");

  json::object message;
  if (action == "create") {
    auto built = create_message(flags);
    if (const auto* problem = std::get_if<std::string>(&built)) return fail_usage(err, *problem);
    message = std::get<json::object>(std::move(built));
  } else if (action == "list") {
    message = {{"op", "token_list"}, {"limit", 1000}};
  } else if (action == "revoke") {
    if (flags["--id"].empty()) return fail_usage(err, "--id is required");
    message = {{"op", "token_revoke"}, {"id", flags["--id"]}, {"actor", "cli"}};
  } else {
    return fail_usage(err, "unknown action " + std::string(action));
  }
  const auto app = app_for_cli(flags["--config"]);
  if (!app) {
    err << "frontdesk token: " << app.error().message << "\n";
    return 1;
  }
  auto replies = call_ledgers(flags["--db"], *app, {flags["--tenant"]}, json::serialize(message));
  if (!replies) {
    err << "frontdesk token: " << replies.error().message << "\n";
    return 1;
  }
  const auto& reply = replies->front().reply;
  if (!reply) {
    err << "frontdesk token: " << reply.error().message << "\n";
    return 1;
  }
  out << *reply << "\n";
  out.flush();
  return 0;
}

}  // namespace frontdesk::native
