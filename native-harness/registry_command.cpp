#include "registry_command.hpp"

#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <string>

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

}  // namespace

int registry_main(std::span<const std::string_view> args) { return run_registry(args, std::cout, std::cerr); }

int run_registry(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return fail_usage(err, "an action is required");
  const auto action = args[0];
  auto split = split_flags(args.subspan(1), {"--db", "--tenant", "--config", "--phone", "--namespace", "--list"});
  if (const auto* error = std::get_if<std::string>(&split)) return fail_usage(err, *error);
  std::map<std::string, std::string, std::less<>> flags;
  for (const auto& [name, value] : std::get<Flags>(split)) flags[std::string(name)] = std::string(value);
  if (flags["--db"].empty()) return fail_usage(err, "--db is required");
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
