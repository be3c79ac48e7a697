// API tokens of the tenant: minted, listed, revoked, and checked on every API request
// together with the token's rate limit. Only the SHA-256 of a token is stored; the KV entry
// token:<hash> only tells an edge request which ledger to ask.
#include <algorithm>
#include <boost/json.hpp>
#include <limits>

#include "../../api/tokens.hpp"
#include "../../clock_and_random.hpp"
#include "../../encoding.hpp"
#include "../../sql_batch.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::int64_t window_ms = 60'000;
constexpr std::string_view token_columns =
    "id, name, scopes, created_at, expires_at_ms, last_used_at, revoked_at, rate_limit";

// Times are kept as milliseconds (expires_at_ms, last_used_at) or as RFC 3339 (revoked_at).
std::optional<std::string> time_of(const SqlValue& value) {
  if (const auto* ms = std::get_if<std::int64_t>(&value)) return rfc3339_from_ms(*ms);
  if (auto text = optional_text(value); text && !text->empty()) return text;
  return std::nullopt;
}

std::vector<std::string> scopes_of(const SqlValue& value) {
  std::vector<std::string> scopes;
  if (const auto listed = json_of(value); listed.is_array()) {
    for (const auto& scope : listed.get_array()) {
      if (scope.is_string()) scopes.emplace_back(scope.get_string());
    }
  }
  return scopes;
}

// The tokens table's one mapping, by column name.
protocol::Token token_at(const SqlRows& rows, std::size_t row) {
  return {text_of(cell(rows, "id", row)),
          text_of(cell(rows, "name", row)),
          scopes_of(cell(rows, "scopes", row)),
          text_of(cell(rows, "created_at", row)),
          time_of(cell(rows, "expires_at_ms", row)),
          time_of(cell(rows, "last_used_at", row)),
          time_of(cell(rows, "revoked_at", row)),
          optional_int(cell(rows, "rate_limit", row))};
}

Task<Result<protocol::Token>> token_by_id(Fx& fx, std::string id) {
  std::vector<SqlValue> params{SqlValue{std::move(id)}};
  FRONTDESK_CO_TRY(const auto rows,
                   co_await fx.sql("SELECT " + std::string(token_columns) + " FROM tokens WHERE id = ?", std::move(params)));
  if (rows.rows.empty()) co_return make_error(ErrorCode::not_found, "no such token");
  co_return token_at(rows, 0);
}

Task<Result<SqlRows>> token_by_hash(Fx& fx, std::string hash) {
  std::vector<SqlValue> params{SqlValue{std::move(hash)}};
  co_return co_await fx.sql("SELECT " + std::string(token_columns) + " FROM tokens WHERE hash = ?", std::move(params));
}

Task<Result<std::string>> mint(Fx& fx) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    FRONTDESK_CO_TRY(auto random, co_await fx.random(64));
    if (auto token = api::token_from_random(random)) co_return std::move(*token);
  }
  co_return make_error(ErrorCode::internal, "the host's randomness gave no token");
}

}  // namespace

Task<Result<protocol::TokenCreate::Reply>> token_create(ObjectContext& context,
                                                        const protocol::TokenCreate::Request& request) {
  auto& fx = context.fx;
  FRONTDESK_CO_TRY(const auto now, co_await fx.now());
  FRONTDESK_CO_TRY(auto plaintext, co_await mint(fx));
  FRONTDESK_CO_TRY(const auto id_bytes, co_await fx.random(8));
  const auto id = "tok_" + hex_encode(id_bytes);
  const auto hash = api::token_hash(plaintext);
  json::array scopes;
  for (const auto& scope : request.scopes) scopes.emplace_back(scope);
  const auto created_at = rfc3339_from_ms(now);
  std::vector<SqlValue> row{id,
                            hash,
                            request.name,
                            json::serialize(scopes),
                            created_at,
                            request.expires_at_ms ? SqlValue{*request.expires_at_ms} : SqlValue{},
                            request.rate_limit ? SqlValue{*request.rate_limit} : SqlValue{},
                            request.created_by};
  FRONTDESK_CO_CHECK(co_await fx.sql(
      "INSERT INTO tokens (id, hash, name, scopes, created_at, expires_at_ms, rate_limit, created_by) "
      "VALUES (?,?,?,?,?,?,?,?)",
      std::move(row)));
  const auto pointer = json::serialize(json::object{{"tenant", context.id}, {"id", id}});
  FRONTDESK_CO_CHECK(co_await fx.kv_put("token:" + hash, pointer));
  json::object body{{"id", id}, {"name", request.name}, {"scopes", std::move(scopes)}, {"created_by", request.created_by}};
  audit::EntryFields fields{created_at, "token.create", id, json::serialize(body)};
  FRONTDESK_CO_CHECK(co_await audit_once(context, std::move(fields)));
  FRONTDESK_CO_TRY(auto stored, co_await token_by_id(fx, id));
  co_return protocol::TokenCreate::Reply{std::move(stored), std::move(plaintext)};
}

// Newest first; `before_seq` continues a listing.
Task<Result<protocol::TokenList::Reply>> token_list(ObjectContext& context, const protocol::TokenList::Request& request) {
  const auto [limit, before] = listing_of(request);
  std::vector<SqlValue> params{SqlValue{before}, SqlValue{limit + 1}};
  FRONTDESK_CO_TRY(auto rows, co_await context.fx.sql("SELECT " + std::string(token_columns) +
                                                           ", rowid AS seq FROM tokens WHERE rowid < ? "
                                                           "ORDER BY rowid DESC LIMIT ?",
                                                       std::move(params)));
  co_return page_of(&protocol::TokenPage::tokens, rows, limit, token_at);
}

Task<Result<protocol::TokenGet::Reply>> token_get(ObjectContext& context, const protocol::TokenGet::Request& request) {
  co_return co_await token_by_id(context.fx, request.id);
}

// Revoked in the ledger, which every request asks, so the very next request fails; the KV
// pointer goes too, so edges stop asking.
Task<Result<protocol::TokenRevoke::Reply>> token_revoke(ObjectContext& context,
                                                       const protocol::TokenRevoke::Request& request) {
  auto& fx = context.fx;
  FRONTDESK_CO_TRY(const auto now, co_await fx.now());
  std::vector<SqlValue> lookup{SqlValue{request.id}};
  FRONTDESK_CO_TRY(const auto found, co_await fx.sql("SELECT hash FROM tokens WHERE id = ?", std::move(lookup)));
  if (found.rows.empty()) co_return make_error(ErrorCode::not_found, "no such token");
  const auto hash = text_of(cell(found, "hash"));
  const auto at = rfc3339_from_ms(now);
  std::vector<SqlValue> params{SqlValue{at}, SqlValue{request.id}};
  FRONTDESK_CO_TRY(const auto revoked,
                   co_await fx.sql("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id",
                                   std::move(params)));
  FRONTDESK_CO_CHECK(co_await fx.kv_delete("token:" + hash));
  if (!revoked.rows.empty()) {
    json::object body{{"id", request.id}, {"revoked_by", request.actor}};
    audit::EntryFields fields{at, "token.revoke", request.id, json::serialize(body)};
    FRONTDESK_CO_CHECK(co_await audit_once(context, std::move(fields)));
  }
  co_return co_await token_by_id(fx, request.id);
}

// protocol::Authorize: not ok for an unknown, revoked or expired token; else the token, and
// this request counted against its limit in the current minute. Two steps: the clock and the
// token together, then the count and the last use together (the count read back by RETURNING).
Task<Result<protocol::Authorize::Reply>> authorize(ObjectContext& context, const protocol::Authorize::Request& request) {
  auto& fx = context.fx;
  const protocol::Authorize::Reply refused{false, std::nullopt, std::nullopt};
  auto [clock, rows] = co_await when_all(clock_task(fx), token_by_hash(fx, request.token_hash));
  if (!clock) co_return clock.error();
  if (!rows) co_return rows.error();
  const auto now = *clock;
  if (rows->rows.empty()) co_return refused;
  const auto expires_at_ms = optional_int(cell(*rows, "expires_at_ms"));
  const bool revoked = optional_text(cell(*rows, "revoked_at")).has_value();
  if (revoked || (expires_at_ms && *expires_at_ms <= now)) co_return refused;

  const auto id = text_of(cell(*rows, "id"));
  const std::int64_t limit = optional_int(cell(*rows, "rate_limit")).value_or(context.app.settings().api.rate_limit);
  const std::int64_t window = now - now % window_ms;
  std::vector<SqlExec> counting{
      {"INSERT INTO rate_windows (token_id, window_start_ms, count) VALUES (?, ?, 1) "
       "ON CONFLICT (token_id) DO UPDATE SET "
       "count = CASE WHEN window_start_ms = excluded.window_start_ms THEN count + 1 ELSE 1 END, "
       "window_start_ms = excluded.window_start_ms RETURNING count",
       {id, window}},
      {"UPDATE tokens SET last_used_at = ? WHERE id = ?", {now, id}}};
  const auto counted = co_await sql_batch(fx, std::move(counting));
  FRONTDESK_CO_CHECK(first_failure(counted));
  const auto& count = *counted[0];
  const std::int64_t used = count.rows.empty() ? 1 : int_of(cell(count, "count"));

  protocol::AuthorizedToken token{id, scopes_of(cell(*rows, "scopes")), expires_at_ms};
  const std::int64_t reset_ms = window + window_ms - now;
  const protocol::RateCount rate{limit, std::max<std::int64_t>(limit - used, 0), (reset_ms + 999) / 1000, used <= limit};
  co_return protocol::Authorize::Reply{true, std::move(token), rate};
}

}  // namespace frontdesk::objects::ledger
