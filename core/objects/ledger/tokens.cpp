// API tokens of the tenant: minted, listed, revoked, and checked on every API request
// together with the token's rate limit. Only the SHA-256 of a token is stored; the KV entry
// token:<hash> only tells an edge request which ledger to ask.
#include <algorithm>
#include <boost/json.hpp>
#include <limits>

#include "../../api/tokens.hpp"
#include "../../encoding.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::int64_t window_ms = 60'000;
// Listings read the rowid (their position) after the token's columns.
constexpr std::size_t token_rowid_column = 8;
constexpr std::string_view token_columns =
    "id, name, scopes, created_at, expires_at_ms, last_used_at, revoked_at, rate_limit";

json::value time_or_null(const SqlValue& value) {
  if (const auto* ms = std::get_if<std::int64_t>(&value)) return json::value(rfc3339_from_ms(*ms));
  if (const auto text = optional_text(value); text && !text->empty()) return json::value(*text);
  return nullptr;
}

json::object token_from_row(const std::vector<SqlValue>& row, std::string_view tenant) {
  json::value rate = nullptr;
  if (std::holds_alternative<std::int64_t>(row[7])) rate = int_of(row[7]);
  return {{"id", text_of(row[0])},           {"tenant", tenant},
          {"name", text_of(row[1])},         {"scopes", json_of(row[2])},
          {"created_at", text_of(row[3])},   {"expires_at", time_or_null(row[4])},
          {"last_used_at", time_or_null(row[5])}, {"revoked_at", time_or_null(row[6])},
          {"rate_limit", rate}};
}

Task<Result<std::vector<SqlValue>>> token_row(Fx& fx, std::string_view column, std::string value) {
  std::vector<SqlValue> params{SqlValue{std::move(value)}};
  auto rows = co_await fx.sql("SELECT " + std::string(token_columns) + " FROM tokens WHERE " + std::string(column) +
                                  " = ?",
                              std::move(params));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return make_error(ErrorCode::not_found, "no such token");
  co_return std::move(rows->rows[0]);
}

Task<Result<std::string>> mint(Fx& fx) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto random = co_await fx.random(64);
    if (!random) co_return random.error();
    if (auto token = api::token_from_random(*random)) co_return std::move(*token);
  }
  co_return make_error(ErrorCode::internal, "the host's randomness gave no token");
}

}  // namespace

// {"name","scopes":[…],"expires_at_ms"|null,"rate_limit"|null,"created_by"}: validated by the
// API layer. The reply is the token with its plaintext, which is never stored.
Task<ObjectReply> token_create(ObjectContext& context, const json::object& message) {
  auto& fx = context.fx;
  auto now = co_await fx.now();
  if (!now) co_return now.error();
  auto token = co_await mint(fx);
  if (!token) co_return token.error();
  auto id_bytes = co_await fx.random(8);
  if (!id_bytes) co_return id_bytes.error();
  const auto id = "tok_" + hex_encode(*id_bytes);
  const auto hash = api::token_hash(*token);
  const auto* scopes = message.if_contains("scopes");
  const auto scopes_text = scopes ? json::serialize(*scopes) : std::string("[]");
  const auto expires = field_int(message, "expires_at_ms");
  const auto rate = field_int(message, "rate_limit");
  const auto created_at = rfc3339_from_ms(*now);
  std::vector<SqlValue> row{id,         hash,
                            field_text(message, "name"), scopes_text,
                            created_at, expires ? SqlValue{*expires} : SqlValue{},
                            rate ? SqlValue{*rate} : SqlValue{}, field_text(message, "created_by")};
  auto inserted = co_await fx.sql(
      "INSERT INTO tokens (id, hash, name, scopes, created_at, expires_at_ms, rate_limit, created_by) "
      "VALUES (?,?,?,?,?,?,?,?)",
      std::move(row));
  if (!inserted) co_return inserted.error();
  const auto pointer = json::serialize(json::object{{"tenant", context.id}, {"id", id}});
  if (auto put = co_await fx.kv_put("token:" + hash, pointer); !put) co_return put.error();
  json::object body{{"id", id},
                    {"name", field_text(message, "name")},
                    {"scopes", scopes ? *scopes : json::value(json::array{})},
                    {"created_by", field_text(message, "created_by")}};
  audit::EntryFields fields{created_at, "token.create", id, json::serialize(body)};
  if (auto appended = co_await audit_once(context, std::move(fields)); !appended) co_return appended.error();
  auto stored = co_await token_row(fx, "id", id);
  if (!stored) co_return stored.error();
  auto reply = token_from_row(*stored, context.id);
  reply["token"] = *token;
  co_return json::serialize(reply);
}

// Newest first; `before_seq` continues a listing.
Task<ObjectReply> token_list(ObjectContext& context, const json::object& message) {
  const auto [limit, before] = listing_of(message);
  std::vector<SqlValue> params{SqlValue{before}, SqlValue{limit + 1}};
  auto rows = co_await context.fx.sql("SELECT " + std::string(token_columns) +
                                          ", rowid FROM tokens WHERE rowid < ? ORDER BY rowid DESC LIMIT ?",
                                      std::move(params));
  if (!rows) co_return rows.error();
  co_return json::serialize(
      page_reply("tokens", rows->rows, limit, token_rowid_column, [&](const auto& row) { return token_from_row(row, context.id); }));
}

Task<ObjectReply> token_get(ObjectContext& context, const json::object& message) {
  auto row = co_await token_row(context.fx, "id", field_text(message, "id"));
  if (!row) co_return row.error();
  co_return json::serialize(token_from_row(*row, context.id));
}

// Revoked in the ledger, which every request asks, so the very next request fails; the KV
// pointer goes too, so edges stop asking.
Task<ObjectReply> token_revoke(ObjectContext& context, const json::object& message) {
  auto& fx = context.fx;
  const auto id = field_text(message, "id");
  auto now = co_await fx.now();
  if (!now) co_return now.error();
  std::vector<SqlValue> lookup{SqlValue{id}};
  auto found = co_await fx.sql("SELECT hash FROM tokens WHERE id = ?", std::move(lookup));
  if (!found) co_return found.error();
  if (found->rows.empty()) co_return make_error(ErrorCode::not_found, "no such token");
  const auto hash = text_of(found->rows[0][0]);
  const auto at = rfc3339_from_ms(*now);
  std::vector<SqlValue> params{SqlValue{at}, SqlValue{id}};
  auto revoked = co_await fx.sql("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id",
                                 std::move(params));
  if (!revoked) co_return revoked.error();
  if (auto removed = co_await fx.kv_delete("token:" + hash); !removed) co_return removed.error();
  if (!revoked->rows.empty()) {
    json::object body{{"id", id}, {"revoked_by", field_text(message, "actor")}};
    audit::EntryFields fields{at, "token.revoke", id, json::serialize(body)};
    if (auto appended = co_await audit_once(context, std::move(fields)); !appended) co_return appended.error();
  }
  auto row = co_await token_row(fx, "id", id);
  if (!row) co_return row.error();
  co_return json::serialize(token_from_row(*row, context.id));
}

// protocol::Authorize: not ok for an unknown, revoked or expired token; else the token, and
// this request counted against its limit in the current minute.
Task<Result<protocol::Authorize::Reply>> authorize(ObjectContext& context, const protocol::Authorize::Request& request) {
  auto& fx = context.fx;
  const protocol::Authorize::Reply refused{false, std::nullopt, std::nullopt};
  auto now = co_await fx.now();
  if (!now) co_return now.error();
  std::vector<SqlValue> lookup{SqlValue{request.token_hash}};
  auto rows = co_await fx.sql("SELECT " + std::string(token_columns) + " FROM tokens WHERE hash = ?", std::move(lookup));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return refused;
  const auto& row = rows->rows[0];
  const bool revoked = optional_text(row[6]).has_value();
  const bool expired = std::holds_alternative<std::int64_t>(row[4]) && int_of(row[4]) <= *now;
  if (revoked || expired) co_return refused;

  const auto id = text_of(row[0]);
  const std::int64_t limit =
      std::holds_alternative<std::int64_t>(row[7]) ? int_of(row[7]) : context.app.settings().api.rate_limit;
  const std::int64_t window = *now - *now % window_ms;
  std::vector<SqlValue> count_params{SqlValue{id}, SqlValue{window}};
  auto counted = co_await fx.sql(
      "INSERT INTO rate_windows (token_id, window_start_ms, count) VALUES (?, ?, 1) "
      "ON CONFLICT (token_id) DO UPDATE SET "
      "count = CASE WHEN window_start_ms = excluded.window_start_ms THEN count + 1 ELSE 1 END, "
      "window_start_ms = excluded.window_start_ms",
      std::move(count_params));
  if (!counted) co_return counted.error();
  std::vector<SqlValue> read_params{SqlValue{id}};
  auto count = co_await fx.sql("SELECT count FROM rate_windows WHERE token_id = ?", std::move(read_params));
  if (!count) co_return count.error();
  const std::int64_t used = count->rows.empty() ? 1 : int_of(count->rows[0][0]);
  std::vector<SqlValue> used_params{SqlValue{*now}, SqlValue{id}};
  auto touched = co_await fx.sql("UPDATE tokens SET last_used_at = ? WHERE id = ?", std::move(used_params));
  if (!touched) co_return touched.error();

  protocol::AuthorizedToken token{id, {}, std::nullopt};
  if (const auto scopes = json_of(row[2]); scopes.is_array()) {
    for (const auto& scope : scopes.get_array()) {
      if (scope.is_string()) token.scopes.emplace_back(scope.get_string());
    }
  }
  if (std::holds_alternative<std::int64_t>(row[4])) token.expires_at_ms = int_of(row[4]);
  const std::int64_t reset_ms = window + window_ms - *now;
  const protocol::RateCount rate{limit, std::max<std::int64_t>(limit - used, 0), (reset_ms + 999) / 1000, used <= limit};
  co_return protocol::Authorize::Reply{true, std::move(token), rate};
}

}  // namespace frontdesk::objects::ledger
