// Tickets for the console's live WebSocket (core/live/ticket.hpp): minted for a token by the
// API, taken once by the host that opens the socket. What the socket may see is decided
// when the ticket is minted, from the token's scopes. Stored as tokens are: only the SHA-256.
#include <boost/json.hpp>

#include "../../api/tokens.hpp"
#include "../../live/ticket.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {

// {"types":[…]} → {"ticket","expires_at"}
Task<ObjectReply> live_ticket(ObjectContext& context, const json::object& message) {
  json::array types;
  if (const auto* given = message.if_contains("types"); given && given->is_array()) types = given->get_array();
  if (types.empty()) co_return make_error(ErrorCode::forbidden, "the token may see no live events");
  auto random = co_await context.fx.random(16);
  if (!random) co_return random.error();
  auto now = co_await context.fx.now();
  if (!now) co_return now.error();
  const auto ticket = live::ticket_for(context.id, *random);
  const auto expires_ms = *now + live::ticket_lifetime_ms;
  std::vector<SqlExec> statements;
  statements.push_back({"DELETE FROM live_tickets WHERE expires_ms <= ?", {*now}});
  statements.push_back({"INSERT INTO live_tickets (hash, types, expires_ms) VALUES (?, ?, ?)",
                        {api::token_hash(ticket), json::serialize(types), expires_ms}});
  auto written = co_await sql_batch(context.fx, std::move(statements));
  if (auto failed = first_failure(written); !failed) co_return failed.error();
  co_return json::serialize(json::object{{"ticket", ticket}, {"expires_at", rfc3339_from_ms(expires_ms)}});
}

// {"ticket"} → {"types":[…]}: the ticket is gone once taken; an unknown, used or expired one
// is unauthenticated.
Task<ObjectReply> live_take(ObjectContext& context, const json::object& message) {
  auto now = co_await context.fx.now();
  if (!now) co_return now.error();
  std::vector<SqlValue> params{SqlValue{api::token_hash(field_text(message, "ticket"))}, SqlValue{*now}};
  auto taken = co_await context.fx.sql(
      "DELETE FROM live_tickets WHERE hash = ? AND expires_ms > ? RETURNING types", std::move(params));
  if (!taken) co_return taken.error();
  if (taken->rows.empty()) co_return make_error(ErrorCode::unauthenticated, "a valid live ticket is required");
  co_return json::serialize(json::object{{"types", json_of(cell(*taken, "types"))}});
}

}  // namespace frontdesk::objects::ledger
