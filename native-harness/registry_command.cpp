#include "registry_command.hpp"

#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli_flags.hpp"
#include "ledger_client.hpp"

namespace frontdesk::native {
namespace json = boost::json;
namespace {

int fail_usage(std::ostream& err, std::string_view problem) {
  err << "frontdesk registry: " << problem << "\nusage: " << registry_usage << "\n";
  return 2;
}

// The ledger message for an action, or a usage problem.
std::variant<json::object, std::string> message_for(std::string_view action,
                                                    const std::map<std::string, std::string, std::less<>>& flags) {
  const auto flag = [&](std::string_view name) {
    const auto found = flags.find(name);
    return found == flags.end() ? std::string{} : found->second;
  };
  const auto phone = flag("--phone");
  if (action == "list") return json::object{{"op", "registry_list"}};
  if (phone.empty()) return std::string("--phone is required");
  if (action == "set") {
    if (flag("--namespace").empty()) return std::string("--namespace is required");
    return json::object{{"op", "registry_put"}, {"phone", phone}, {"namespace", flag("--namespace")}};
  }
  if (action == "remove") return json::object{{"op", "registry_delete"}, {"phone", phone}};
  if (action == "allow" || action == "block") {
    return json::object{{"op", "list_put"}, {"list", action}, {"phone", phone}};
  }
  if (action == "unlist") {
    if (flag("--list").empty()) return std::string("--list allow|block is required");
    return json::object{{"op", "list_delete"}, {"list", flag("--list")}, {"phone", phone}};
  }
  return std::string("unknown action ") + std::string(action);
}

// Spellings people reach for, each mapped to one action.
std::string_view canonical_action(std::string_view action) {
  if (action == "add" || action == "put") return "set";
  if (action == "delete" || action == "rm") return "remove";
  if (action == "unallow" || action == "unblock") return "unlist";
  return action;
}

}  // namespace

int registry_main(std::span<const std::string_view> args) { return run_registry(args, std::cout, std::cerr); }

int run_registry(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return fail_usage(err, "an action is required");
  const auto action = canonical_action(args[0]);
  // Flags, and up to two words after the action: the phone, then the namespace
  // (`registry set +15555550123 alice.x`).
  std::vector<std::string_view> flag_args;
  std::vector<std::string_view> words;
  const auto rest = args.subspan(1);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i].starts_with("--")) {
      flag_args.push_back(rest[i]);
      if (rest[i].find('=') == std::string_view::npos && i + 1 < rest.size()) flag_args.push_back(rest[++i]);
    } else {
      words.push_back(rest[i]);
    }
  }
  if (words.size() > 2) return fail_usage(err, "unexpected argument " + std::string(words[2]));
  auto split = split_flags(flag_args, {"--db", "--tenant", "--config", "--phone", "--namespace", "--list"});
  if (const auto* error = std::get_if<std::string>(&split)) return fail_usage(err, *error);
  std::map<std::string, std::string, std::less<>> flags;
  for (const auto& [name, value] : std::get<Flags>(split)) flags[std::string(name)] = std::string(value);
  if (!words.empty() && flags["--phone"].empty()) flags["--phone"] = std::string(words[0]);
  if (words.size() > 1 && flags["--namespace"].empty()) flags["--namespace"] = std::string(words[1]);
  if (action == "unlist" && flags["--list"].empty()) {
    if (args[0] == "unallow") flags["--list"] = "allow";
    if (args[0] == "unblock") flags["--list"] = "block";
  }
  if (flags["--db"].empty()) flags["--db"] = default_db_path();
  if (flags["--tenant"].empty()) return fail_usage(err, "--tenant is required");
  auto message = message_for(action, flags);
  if (const auto* problem = std::get_if<std::string>(&message)) return fail_usage(err, *problem);

  const auto app = app_for_cli(flags["--config"]);
  if (!app) {
    err << "frontdesk registry: " << app.error().message << "\n";
    return 1;
  }
  auto replies = call_ledgers(flags["--db"], *app, {flags["--tenant"]}, json::serialize(std::get<json::object>(message)));
  if (!replies) {
    err << "frontdesk registry: " << replies.error().message << "\n";
    return 1;
  }
  const auto& reply = replies->front().reply;
  if (!reply) {
    err << "frontdesk registry: " << reply.error().message << "\n";
    return 1;
  }
  out << *reply << "\n";
  out.flush();
  return 0;
}

}  // namespace frontdesk::native
