// Tickets for the console's live WebSocket (core/live/ticket.hpp): minted for a token by the
// API, taken once by the host that opens the socket. What the socket may see is decided
// when the ticket is minted, from the token's scopes. Stored as tokens are: only the SHA-256.
#include <boost/json.hpp>

#include "../../api/tokens.hpp"
#include "../../live/ticket.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {

Task<Result<protocol::LiveTicket::Reply>> live_ticket(ObjectContext& context, const protocol::LiveTicket::Request& request) {
  if (request.types.empty()) co_return make_error(ErrorCode::forbidden, "the token may see no live events");
  json::array types;
  for (const auto& type : request.types) types.emplace_back(type);
  FRONTDESK_CO_TRY(auto random, co_await context.fx.random(16));
  FRONTDESK_CO_TRY(auto now, co_await context.fx.now());
  const auto ticket = live::ticket_for(context.id, random);
  const auto expires_ms = now + live::ticket_lifetime_ms;
  std::vector<SqlExec> statements;
  statements.push_back({"DELETE FROM live_tickets WHERE expires_ms <= ?", {now}});
  statements.push_back({"INSERT INTO live_tickets (hash, types, expires_ms) VALUES (?, ?, ?)",
                        {api::token_hash(ticket), json::serialize(types), expires_ms}});
  auto written = co_await sql_batch(context.fx, std::move(statements));
  FRONTDESK_CO_CHECK(first_failure(written));
  co_return protocol::LiveTicket::Reply{ticket, rfc3339_from_ms(expires_ms)};
}

Task<Result<protocol::LiveTake::Reply>> live_take(ObjectContext& context, const protocol::LiveTake::Request& request) {
  FRONTDESK_CO_TRY(auto now, co_await context.fx.now());
  std::vector<SqlValue> params{SqlValue{api::token_hash(request.ticket)}, SqlValue{now}};
  FRONTDESK_CO_TRY(auto taken,
                   co_await context.fx.sql("DELETE FROM live_tickets WHERE hash = ? AND expires_ms > ? RETURNING types",
                                           std::move(params)));
  if (taken.rows.empty()) co_return make_error(ErrorCode::unauthenticated, "a valid live ticket is required");
  protocol::LiveTake::Reply reply;
  if (const auto types = json_of(cell(taken, "types")); types.is_array()) {
    for (const auto& type : types.get_array()) {
      if (type.is_string()) reply.types.emplace_back(type.get_string());
    }
  }
  co_return reply;
}

}  // namespace frontdesk::objects::ledger
