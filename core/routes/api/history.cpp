// /api/v1/events (the verified inbox), /api/v1/outbound (what went out to providers, dead
// letters included, and their retry) and /api/v1/audit (the chain, and its verification).
#include <boost/json.hpp>

#include "../../event.hpp"
#include "../../json.hpp"
#include "../../objects/ledger/client.hpp"
#include "../../objects/ledger/protocol.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {

Task<Response> list_events(ApiContext& context) {
  const auto page = page_of(context.request, "events");
  if (!page) co_return error_response(page.error());
  objects::protocol::EventList::Request listing;
  listing.limit = page->limit;
  listing.before_seq = page->position;
  listing.source = query_value(context.request, "source");
  auto events = co_await ledger_of(context).call<objects::protocol::EventList>(listing);
  if (!events) co_return error_response(events.error());
  co_return page_response(*events, &objects::protocol::EventPage::events, "events", event_to_json);
}

// What Frontdesk sent (or is still trying to send) to providers, newest first: dead letters
// are `status=dead`.
Task<Response> list_outbound(ApiContext& context) {
  using objects::protocol::SendStatus;
  const auto page = page_of(context.request, "outbound");
  if (!page) co_return error_response(page.error());
  objects::protocol::OutboundList::Request listing{page->limit, page->position, std::nullopt};
  if (const auto status = query_value(context.request, "status")) {
    listing.status = objects::protocol::enum_of<SendStatus>(*status);
    if (!listing.status) co_return error_response(ErrorCode::invalid_field, "status: must be pending, delivered or dead");
  }
  auto commands = co_await ledger_of(context).call<objects::protocol::OutboundList>(listing);
  if (!commands) co_return error_response(commands.error());
  co_return page_response(*commands, &objects::protocol::OutboundPage::outbound, "outbound",
                          [](const objects::protocol::OutboundCommand& command) {
                            return objects::protocol::to_document(command);
                          });
}

// A pending or dead command sent again now.
Task<Response> retry_outbound(ApiContext& context) {
  const objects::protocol::OutboundRetry::Request retry{path_param(context, "command_id")};
  auto command = co_await ledger_of(context).call<objects::protocol::OutboundRetry>(retry);
  if (!command) co_return error_response(command.error());
  co_return json_answer(202, objects::protocol::to_document(*command));
}

// Oldest first: the chain reads in the order it was written.
Task<Response> list_audit(ApiContext& context) {
  auto page = page_of(context.request, "audit");
  if (!page) co_return error_response(page.error());
  const objects::protocol::AuditList::Request listing{page->limit, page->position};
  auto entries = co_await ledger_of(context).call<objects::protocol::AuditList>(listing);
  if (!entries) co_return error_response(entries.error());
  co_return page_response(*entries, &objects::protocol::AuditPage::entries, "audit", [](const objects::protocol::AuditEntry& entry) {
    return objects::protocol::to_json(entry);
  });
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
