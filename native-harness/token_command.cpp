#include "token_command.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <map>
#include <string>

#include "cli_flags.hpp"
#include "core/api/scopes.hpp"
#include "core/api/tokens.hpp"
#include "ledger_client.hpp"

namespace frontdesk::native {
namespace json = boost::json;
namespace {

int fail_usage(std::ostream& err, std::string_view problem) {
  err << "frontdesk token: " << problem << "\nusage: " << token_usage << "\n";
  return 2;
}

std::optional<std::int64_t> positive(const std::string& text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value > 0 ? std::optional<std::int64_t>{value} : std::nullopt;
}

using objects::protocol::TokenCreate;
using objects::protocol::TokenList;
using objects::protocol::TokenRevoke;

std::variant<TokenCreate::Request, std::string> create_request(std::map<std::string, std::string, std::less<>>& flags) {
  // Separated by commas or spaces; --scopes may also be given more than once.
  TokenCreate::Request request{flags["--name"], {}, std::nullopt, std::nullopt, "cli"};
  std::string_view rest = flags["--scopes"];
  while (!rest.empty()) {
    const auto end = rest.find_first_of(", ");
    const auto scope = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (scope.empty()) continue;
    if (!frontdesk::api::known_scope(scope)) return "unknown scope '" + std::string(scope) + "'";
    if (std::find(request.scopes.begin(), request.scopes.end(), scope) == request.scopes.end()) {
      request.scopes.emplace_back(scope);
    }
  }
  if (request.scopes.empty()) return std::string("--scopes is required (comma-separated)");
  if (!flags["--expires-in"].empty()) {
    const auto seconds = positive(flags["--expires-in"]);
    if (!seconds) return std::string("--expires-in takes a positive number of seconds");
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    request.expires_at_ms = now_ms + *seconds * 1000;
  }
  if (!flags["--rate-limit"].empty()) {
    request.rate_limit = positive(flags["--rate-limit"]);
    if (!request.rate_limit) return std::string("--rate-limit takes a positive number of requests per minute");
  }
  return request;
}

// Every token of the tenant, newest first, page after page.
Result<json::array> all_tokens(LedgerAccess& ledgers, const std::string& tenant) {
  json::array tokens;
  TokenList::Request page{1000, std::nullopt};
  for (;;) {
    auto listed = ledgers.call<TokenList>(tenant, page);
    if (!listed) return listed.error();
    for (const auto& token : listed->tokens) tokens.push_back(frontdesk::api::token_document(token, tenant));
    if (!listed->has_more || !listed->next) return tokens;
    page.before_seq = listed->next;
  }
}

// The action's answer as the line it prints.
Result<std::string> run_action(std::string_view action, LedgerAccess& ledgers, const std::string& tenant,
                               std::map<std::string, std::string, std::less<>>& flags, TokenCreate::Request create) {
  if (action == "create") {
    auto created = ledgers.call<TokenCreate>(tenant, create);
    if (!created) return created.error();
    auto document = frontdesk::api::token_document(created->token, tenant);
    document["token"] = created->plaintext;
    return json::serialize(document);
  }
  if (action == "list") {
    auto tokens = all_tokens(ledgers, tenant);
    if (!tokens) return tokens.error();
    return json::serialize(json::object{{"tokens", std::move(*tokens)}});
  }
  auto revoked = ledgers.call<TokenRevoke>(tenant, TokenRevoke::Request{flags["--id"], "cli"});
  if (!revoked) return revoked.error();
  return json::serialize(frontdesk::api::token_document(*revoked, tenant));
}

}  // namespace

int token_main(std::span<const std::string_view> args) { return run_token(args, std::cout, std::cerr); }

int run_token(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return fail_usage(err, "an action is required");
  const auto action = args[0];
  auto split = split_flags(args.subspan(1),
                           {"--db", "--tenant", "--config", "--scopes", "--name", "--expires-in", "--rate-limit", "--id"});
  if (const auto* error = std::get_if<std::string>(&split)) return fail_usage(err, *error);
  std::map<std::string, std::string, std::less<>> flags;
  for (const auto& [name, value] : std::get<Flags>(split)) {
    auto& kept = flags[std::string(name)];
    kept = name == "--scopes" && !kept.empty() ? kept + "," + std::string(value) : std::string(value);
  }
  if (flags["--db"].empty()) flags["--db"] = default_db_path();
  if (flags["--tenant"].empty()) return fail_usage(err, "--tenant is required");

  TokenCreate::Request create;
  if (action == "create") {
    auto built = create_request(flags);
    if (const auto* problem = std::get_if<std::string>(&built)) return fail_usage(err, *problem);
    create = std::get<TokenCreate::Request>(std::move(built));
  } else if (action == "revoke") {
    if (flags["--id"].empty()) return fail_usage(err, "--id is required");
  } else if (action != "list") {
    return fail_usage(err, "unknown action " + std::string(action));
  }
  const auto app = app_for_cli(flags["--config"]);
  if (!app) {
    err << "frontdesk token: " << app.error().message << "\n";
    return 1;
  }
  auto ledgers = LedgerAccess::open(flags["--db"], *app);
  if (!ledgers) {
    err << "frontdesk token: " << ledgers.error().message << "\n";
    return 1;
  }
  const auto line = run_action(action, **ledgers, flags["--tenant"], flags, std::move(create));
  if (!line) {
    err << "frontdesk token: " << line.error().message << "\n";
    return 1;
  }
  out << *line << "\n";
  out.flush();
  return 0;
}

}  // namespace frontdesk::native
