// POST /api/v1/live/tickets: a ticket for the console's live WebSocket (core/live/ticket.hpp),
// for any token that may read some event type. The socket itself (GET /api/v1/live?ticket=)
// is opened by the host, which takes the ticket from the tenant's ledger.
#include <boost/json.hpp>

#include "../../json.hpp"
#include "../../live/ticket.hpp"
#include "../../objects/ledger/client.hpp"
#include "../../objects/ledger/protocol.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {

Task<Response> create_live_ticket(ApiContext& context) {
  objects::protocol::LiveTicket::Request asked;
  asked.types = live::visible_types(context.principal.scopes);
  if (asked.types.empty()) {
    co_return error_response(ErrorCode::forbidden, "a live feed needs calls:read, messages:read, registry:read, "
                                                   "events:read or endpoints:read");
  }
  objects::LedgerClient ledger(context.fx, context.principal.tenant);
  auto minted = co_await ledger.call<objects::protocol::LiveTicket>(asked);
  if (!minted) co_return error_response(minted.error());
  json::array types;
  for (const auto& type : asked.types) types.emplace_back(type);
  co_return json_answer(201, json::object{{"ticket", minted->ticket},
                                          {"expires_at", minted->expires_at},
                                          {"url", std::string(live::path) + "?ticket=" + minted->ticket},
                                          {"types", std::move(types)}});
}

}  // namespace frontdesk::routes::api
