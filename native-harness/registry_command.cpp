#include "registry_command.hpp"

#include <boost/json.hpp>
#include <functional>
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

namespace protocol = objects::protocol;
using FlagValues = std::map<std::string, std::string, std::less<>>;

std::string flag(const FlagValues& flags, std::string_view name) {
  const auto found = flags.find(name);
  return found == flags.end() ? std::string{} : found->second;
}

// What an action asks of the ledger, or a usage problem; run() sends it.
struct Action {
  std::function<Result<json::value>(LedgerAccess&, const std::string& tenant)> run;
};

template <protocol::Operation Op>
Action ask(typename Op::Request request) {
  return {[request = std::move(request)](LedgerAccess& ledgers, const std::string& tenant) -> Result<json::value> {
    auto reply = ledgers.call<Op>(tenant, request);
    if (!reply) return reply.error();
    return protocol::to_json(*reply);
  }};
}

std::variant<Action, std::string> action_for(std::string_view action, const FlagValues& flags) {
  const auto phone = flag(flags, "--phone");
  if (action == "list") return ask<protocol::RegistryList>({});
  if (phone.empty()) return std::string("--phone is required");
  if (action == "set") {
    if (flag(flags, "--namespace").empty()) return std::string("--namespace is required");
    return ask<protocol::RegistryPut>({phone, flag(flags, "--namespace"), "cli"});
  }
  if (action == "remove") return ask<protocol::RegistryDelete>({phone, "cli"});
  if (action == "allow") return ask<protocol::ListPut>({protocol::ListName::allow, phone, "cli"});
  if (action == "block") return ask<protocol::ListPut>({protocol::ListName::block, phone, "cli"});
  if (action == "unlist") {
    const auto list = flag(flags, "--list");
    if (list != "allow" && list != "block") return std::string("--list allow|block is required");
    const auto name = list == "allow" ? protocol::ListName::allow : protocol::ListName::block;
    return ask<protocol::ListDelete>({name, phone, "cli"});
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
  auto chosen = action_for(action, flags);
  if (const auto* problem = std::get_if<std::string>(&chosen)) return fail_usage(err, *problem);

  const auto app = app_for_cli(flags["--config"]);
  if (!app) {
    err << "frontdesk registry: " << app.error().message << "\n";
    return 1;
  }
  auto ledgers = LedgerAccess::open(flags["--db"], *app);
  if (!ledgers) {
    err << "frontdesk registry: " << ledgers.error().message << "\n";
    return 1;
  }
  const auto reply = std::get<Action>(chosen).run(**ledgers, flags["--tenant"]);
  if (!reply) {
    err << "frontdesk registry: " << reply.error().message << "\n";
    return 1;
  }
  out << json::serialize(*reply) << "\n";
  out.flush();
  return 0;
}

}  // namespace frontdesk::native
