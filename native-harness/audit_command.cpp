#include "audit_command.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli_flags.hpp"
#include "ledger_client.hpp"

namespace frontdesk::native {
namespace json = boost::json;

int audit_main(std::span<const std::string_view> args) {
  const auto fail_usage = [](std::string_view problem) {
    std::cerr << "frontdesk audit: " << problem << "\nusage: " << audit_usage << "\n";
    return 2;
  };
  if (args.empty() || args[0] != "verify") return fail_usage("the only action is verify");
  auto flags = split_flags(args.subspan(1), {"--db", "--tenant"});
  if (const auto* error = std::get_if<std::string>(&flags)) return fail_usage(*error);
  std::string db_path;
  std::string tenant;
  for (const auto& [flag, value] : std::get<Flags>(flags)) (flag == "--db" ? db_path : tenant) = std::string(value);
  if (db_path.empty()) return fail_usage("--db is required");

  auto tenants = ledger_tenants(db_path);
  if (!tenants) {
    std::cerr << "frontdesk audit verify: " << tenants.error().message << "\n";
    return 1;
  }
  if (!tenant.empty()) {
    if (std::find(tenants->begin(), tenants->end(), tenant) == tenants->end()) {
      std::cerr << "frontdesk audit verify: no ledger for tenant " << tenant << "\n";
      return 1;
    }
    *tenants = {tenant};
  }
  const auto app = app_for_cli("");
  if (!app) {
    std::cerr << "frontdesk audit verify: " << app.error().message << "\n";
    return 1;
  }
  auto replies = call_ledgers(db_path, *app, *tenants, R"({"op":"audit_verify"})");
  if (!replies) {
    std::cerr << "frontdesk audit verify: " << replies.error().message << "\n";
    return 1;
  }
  bool all_ok = true;
  for (const auto& [name, reply] : *replies) {
    json::error_code ec;
    const auto parsed = reply ? json::parse(*reply, ec) : json::value{};
    const auto* verdict = (reply && !ec) ? parsed.if_object() : nullptr;
    if (!verdict) {
      all_ok = false;
      std::cerr << "frontdesk audit verify: tenant " << name << ": "
                << (reply ? std::string("unreadable answer") : reply.error().message) << "\n";
      continue;
    }
    json::object line{{"tenant", name}};
    for (const auto& [key, value] : *verdict) line[key] = value;
    std::cout << json::serialize(line) << "\n";
    const auto* ok = verdict->if_contains("ok");
    if (!ok || !ok->is_bool() || !ok->get_bool()) {
      all_ok = false;
      const auto* seq = verdict->if_contains("seq");
      const auto* reason = verdict->if_contains("reason");
      std::cerr << "frontdesk audit verify: tenant " << name << ": the chain fails at seq "
                << (seq ? json::serialize(*seq) : "?") << ": "
                << (reason && reason->is_string() ? std::string(reason->get_string()) : "") << "\n";
    }
  }
  std::cout.flush();
  return all_ok ? 0 : 1;
}

}  // namespace frontdesk::native
