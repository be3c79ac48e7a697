#pragma once
// Running ledger messages from the command line, through the core's own ledger object on
// the same files the server uses (SQLite serialises them with a running server).
#include <optional>
#include <string>
#include <vector>

#include "core/app.hpp"
#include "core/result.hpp"

namespace frontdesk::native {

// The configuration a subcommand runs with: the file given with --config (so the ledger is
// seeded from it as the server would), else an empty one, which seeds nothing.
Result<App> app_for_cli(const std::string& config_path);

// The database a subcommand uses without --db: $FRONTDESK_DB, else .data/frontdesk.db (what
// scripts/run.sh serves).
std::string default_db_path();

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
