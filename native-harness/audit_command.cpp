#include "audit_command.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli_flags.hpp"
#include "core/objects/ledger/protocol.hpp"
#include "core/objects/protocol.hpp"
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
  using objects::protocol::AuditVerify;
  auto replies = call_ledgers(db_path, *app, *tenants, objects::protocol::encode_request<AuditVerify>({}));
  if (!replies) {
    std::cerr << "frontdesk audit verify: " << replies.error().message << "\n";
    return 1;
  }
  bool all_ok = true;
  for (const auto& [name, reply] : *replies) {
    const auto verdict = reply ? objects::protocol::decode_reply<AuditVerify>(*reply) : Result<AuditVerify::Reply>(reply.error());
    if (!verdict) {
      all_ok = false;
      std::cerr << "frontdesk audit verify: tenant " << name << ": " << verdict.error().message << "\n";
      continue;
    }
    json::object line{{"tenant", name}};
    const auto fields = objects::protocol::to_json(*verdict);
    for (const auto& [key, value] : fields.as_object()) line[key] = value;
    std::cout << json::serialize(line) << "\n";
    if (!verdict->ok) {
      all_ok = false;
      std::cerr << "frontdesk audit verify: tenant " << name << ": the chain fails at seq "
                << (verdict->seq ? std::to_string(*verdict->seq) : "?") << ": " << verdict->reason.value_or("") << "\n";
    }
  }
  std::cout.flush();
  return all_ok ? 0 : 1;
}

}  // namespace frontdesk::native
