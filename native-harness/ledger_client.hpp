#pragma once
// Running ledger messages from the command line, through the core's own ledger object on
// the same files the server uses (SQLite serialises them with a running server).
#include <optional>
#include <string>
#include <vector>

#include "core/app.hpp"
#include "core/objects/ledger/protocol.hpp"
#include "core/objects/protocol.hpp"
#include "core/result.hpp"
#include "admin_client.hpp"
#include "host.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {

// The configuration a subcommand runs with: the file given with --config (so the ledger is
// seeded from it as the server would), else an empty one, which seeds nothing.
Result<App> app_for_cli(const std::string& config_path);

// The database a subcommand uses without --db: $FRONTDESK_DB, else .data/frontdesk.db (what
// scripts/run.sh serves).
std::string default_db_path();

// The tenants' ledgers as a command reaches them: through the running server's admin socket
// when a server serves the database (its queues and transactions, no lock of its own held),
// else on the files themselves, through the core's own ledger object.
class LedgerAccess {
 public:
  // app must outlive the access (it seeds a ledger opened on the files, as the server would).
  static Result<std::unique_ptr<LedgerAccess>> open(const std::string& db_path, const App& app);
  LedgerAccess(const LedgerAccess&) = delete;
  LedgerAccess& operator=(const LedgerAccess&) = delete;
  ~LedgerAccess();

  Result<std::string> call(const std::string& tenant, const std::string& message);
  // An operation of core/objects/ledger/protocol.hpp, its request encoded and its reply
  // decoded by the object protocol's codec.
  template <objects::protocol::Operation Op>
  Result<typename Op::Reply> call(const std::string& tenant, const typename Op::Request& request) {
    auto reply = call(tenant, objects::protocol::encode_request<Op>(request));
    if (!reply) return reply.error();
    return objects::protocol::decode_reply<Op>(*reply);
  }
  // Every tenant with a ledger in the database.
  Result<std::vector<std::string>> tenants();
  bool through_server() const { return admin_ != nullptr; }

 private:
  LedgerAccess() = default;

  std::unique_ptr<AdminClient> admin_;
  std::optional<Store> store_;
  std::unique_ptr<boost::asio::io_context> io_;
  std::unique_ptr<Host> host_;
};

// One message to each tenant's ledger, in order; a reply (or error) per tenant.
struct LedgerReply {
  std::string tenant;
  Result<std::string> reply;
};
Result<std::vector<LedgerReply>> call_ledgers(const std::string& db_path, const App& app,
                                              const std::vector<std::string>& tenants, const std::string& message);

// Every tenant with a ledger in the database.
Result<std::vector<std::string>> ledger_tenants(const std::string& db_path);

}  // namespace frontdesk::native
