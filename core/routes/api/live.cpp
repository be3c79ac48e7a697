// POST /api/v1/live/tickets: a ticket for the console's live WebSocket (core/live/ticket.hpp),
// for any token that may read some event type. The socket itself (GET /api/v1/live?ticket=)
// is opened by the host, which takes the ticket from the tenant's ledger.
#include <boost/json.hpp>

#include "../../json.hpp"
#include "../../live/ticket.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {

Task<Response> create_live_ticket(ApiContext& context) {
  json::array types;
  for (auto& type : live::visible_types(context.principal.scopes)) types.emplace_back(type);
  if (types.empty()) {
    co_return error_response(ErrorCode::forbidden, "a live feed needs calls:read, messages:read, registry:read, "
                                                   "events:read or endpoints:read");
  }
  json::object message{{"op", "live_ticket"}, {"types", types}};
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  auto answer = std::move(*reply);
  const auto* ticket = answer.if_contains("ticket");
  if (!ticket || !ticket->is_string()) co_return error_response(ErrorCode::storage_unavailable, "no ticket was made");
  answer["url"] = std::string(live::path) + "?ticket=" + std::string(ticket->get_string());
  answer["types"] = std::move(types);
  co_return json_answer(201, answer);
}

}  // namespace frontdesk::routes::api
