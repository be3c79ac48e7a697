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

Result<std::unique_ptr<LedgerAccess>> LedgerAccess::open(const std::string& db_path, const App& app) {
  std::unique_ptr<LedgerAccess> access(new LedgerAccess());
  access->admin_ = AdminClient::connect(db_path);
  if (access->admin_) return access;
  if (const auto parent = std::filesystem::path(db_path).parent_path(); !parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);  // a failure shows as the open's error
  }
  auto store = Store::open(db_path);
  if (!store) return store.error();
  access->store_.emplace(std::move(*store));
  access->io_ = std::make_unique<boost::asio::io_context>(1);
  HostOptions options;
  access->host_ = std::make_unique<Host>(*access->io_, app, *access->store_, std::move(options));
  return access;
}

LedgerAccess::~LedgerAccess() = default;

Result<std::string> LedgerAccess::call(const std::string& tenant, const std::string& message) {
  const ObjectKey ledger{"ledger", tenant};
  if (admin_) return admin_->call(ledger, message);
  std::optional<ObjectReply> reply;
  host_->call_object(ledger, message, [&reply](ObjectReply answer) { reply = std::move(answer); });
  io_->restart();
  io_->run();
  if (!reply) return Error{ErrorCode::internal, "the ledger gave no reply"};
  return std::move(*reply);
}

Result<std::vector<std::string>> LedgerAccess::tenants() {
  if (admin_) return admin_->object_ids("ledger");
  return store_->object_ids("ledger");
}

Result<std::vector<std::string>> ledger_tenants(const std::string& db_path) {
  if (!std::filesystem::exists(db_path)) return make_error(ErrorCode::not_found, "no database at " + db_path);
  if (auto admin = AdminClient::connect(db_path)) return admin->object_ids("ledger");
  auto store = Store::open(db_path);
  if (!store) return store.error();
  return store->object_ids("ledger");
}

Result<std::vector<LedgerReply>> call_ledgers(const std::string& db_path, const App& app,
                                              const std::vector<std::string>& tenants, const std::string& message) {
  auto access = LedgerAccess::open(db_path, app);
  if (!access) return access.error();
  std::vector<LedgerReply> replies;
  replies.reserve(tenants.size());
  for (const auto& tenant : tenants) replies.push_back({tenant, (*access)->call(tenant, message)});
  return replies;
}

}  // namespace frontdesk::native
