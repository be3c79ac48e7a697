// /api/v1/events (the verified inbox), /api/v1/outbound (what went out to providers, dead
// letters included, and their retry) and /api/v1/audit (the chain, and its verification).
#include <boost/json.hpp>

#include "../../json.hpp"
#include "../../objects/ledger/client.hpp"
#include "../../objects/ledger/protocol.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {

Task<Response> list_events(ApiContext& context) {
  json::object message{{"op", "list_events"}};
  if (const auto source = query_value(context.request, "source")) message["source"] = *source;
  co_return co_await paged_list(context, "events", std::move(message));
}

// What Frontdesk sent (or is still trying to send) to providers, newest first: dead letters
// are `status=dead`.
Task<Response> list_outbound(ApiContext& context) {
  json::object message{{"op", "list_outbound"}};
  if (const auto status = query_value(context.request, "status")) {
    if (*status != "pending" && *status != "delivered" && *status != "dead") {
      co_return error_response(ErrorCode::invalid_field, "status: must be pending, delivered or dead");
    }
    message["status"] = *status;
  }
  co_return co_await paged_list(context, "outbound", std::move(message));
}

// A pending or dead command sent again now.
Task<Response> retry_outbound(ApiContext& context) {
  json::object message{{"op", "outbound_retry"}, {"command_id", path_param(context, "command_id")}};
  co_return co_await ledger_answer(context, std::move(message), 202);
}

// Oldest first: the chain reads in the order it was written.
Task<Response> list_audit(ApiContext& context) {
  auto page = page_of(context.request, "audit");
  if (!page) co_return error_response(page.error());
  json::object message{{"op", "audit_list"}, {"limit", page->limit}, {"after_seq", page->position.value_or(0)}};
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  co_return list_response(*reply, "entries", "audit");
}

Task<Response> verify_audit(ApiContext& context) {
  using objects::protocol::AuditVerify;
  objects::LedgerClient ledger(context.fx, context.principal.tenant);
  const AuditVerify::Request asked;
  auto verdict = co_await ledger.call<AuditVerify>(asked);
  if (!verdict) co_return error_response(verdict.error());
  co_return json_answer(200, objects::protocol::to_json(*verdict));
}

}  // namespace frontdesk::routes::api
