#include "ledger_client.hpp"

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "host.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {

Result<App> app_for_cli(const std::string& config_path) {
  const auto env = [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
  if (config_path.empty()) return App::create("{}", env);
  std::ifstream in(config_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return make_error(ErrorCode::not_found, "cannot read the configuration " + config_path);
  return App::create(text.str(), env);
}

std::string default_db_path() {
  const char* configured = std::getenv("FRONTDESK_DB");
  return configured && *configured ? std::string(configured) : std::string(".data/frontdesk.db");
}

Result<std::vector<std::string>> ledger_tenants(const std::string& db_path) {
  if (!std::filesystem::exists(db_path)) return make_error(ErrorCode::not_found, "no database at " + db_path);
  auto store = Store::open(db_path);
  if (!store) return store.error();
  return store->object_ids("ledger");
}

Result<std::vector<LedgerReply>> call_ledgers(const std::string& db_path, const App& app,
                                              const std::vector<std::string>& tenants, const std::string& message) {
  if (const auto parent = std::filesystem::path(db_path).parent_path(); !parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);  // a failure shows as the open's error
  }
  auto store = Store::open(db_path);
  if (!store) return store.error();
  boost::asio::io_context io{1};
  Host host(io, app, *store);
  std::vector<LedgerReply> replies;
  replies.reserve(tenants.size());
  for (const auto& tenant : tenants) {
    replies.push_back({tenant, std::string{}});
    auto* slot = &replies.back().reply;
    host.call_object({"ledger", tenant}, message, [slot](ObjectReply reply) { *slot = std::move(reply); });
  }
  io.run();
  return replies;
}

}  // namespace frontdesk::native
