#pragma once
// `frontdesk token`: API tokens natively, for the first admin token and for operators.
#include <ostream>
#include <span>
#include <string_view>

namespace frontdesk::native {

inline constexpr std::string_view token_usage =
    "frontdesk token create|list|revoke [--db FILE] --tenant T [--scopes a,b] [--name N] "
    "[--expires-in SECONDS] [--rate-limit N] [--id tok_…]";

// Without --db: $FRONTDESK_DB, else .data/frontdesk.db (the database scripts/run.sh serves).
// create: prints the new token as JSON, its plaintext ("token") shown this once. list: the
// tenant's tokens (never a plaintext or hash). revoke --id: revoked at once. Exit 0; 1 when
// the ledger refuses (an unknown token id); 2 for bad arguments (an unknown scope).
int run_token(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int token_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
