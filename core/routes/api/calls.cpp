// /api/v1/calls: the tenant's call history, one call in full, and outbound calls.
#include <boost/json.hpp>

#include "../../json.hpp"
#include "../../reception/call_state.hpp"
#include "../../time.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {

Task<Response> list_calls(ApiContext& context) {
  const auto& request = context.request;
  auto page = page_of(request, "calls");
  if (!page) co_return error_response(page.error());
  objects::protocol::CallList::Request listing;
  listing.limit = page->limit;
  listing.before_seq = page->position;
  if (const auto status = query_value(request, "status")) {
    if (!reception::parse_call_state(*status)) {
      co_return error_response(ErrorCode::invalid_field,
                               "status: must be initiated, ringing, answered, completed, rejected or missed");
    }
    listing.status = *status;
  }
  if (const auto from = query_value(request, "from")) {
    auto phone = phone_value(*from, "from");
    if (!phone) co_return error_response(phone.error());
    listing.from = std::move(*phone);
  }
  if (const auto since = query_value(request, "since")) {
    const auto us = unix_us_from_rfc3339(*since);
    if (!us) co_return error_response(ErrorCode::invalid_field, "since: must be an RFC 3339 date-time");
    listing.since_ms = *us / 1000;
  }
  auto calls = co_await ledger_of(context).call<objects::protocol::CallList>(listing);
  if (!calls) co_return error_response(calls.error());
  co_return page_response(*calls, &objects::protocol::CallPage::calls, "calls",
                          [](const objects::protocol::Call& call) { return objects::protocol::to_document(call); });
}

Task<Response> get_call(ApiContext& context) {
  const auto id = path_param(context, "id");
  objects::protocol::CallList::Request listing;
  listing.id = id;
  listing.limit = 1;
  auto calls = co_await ledger_of(context).call<objects::protocol::CallList>(listing);
  if (!calls) co_return error_response(calls.error());
  if (calls->calls.empty()) co_return error_response(ErrorCode::not_found, "no call " + id);
  co_return json_answer(200, objects::protocol::to_document(calls->calls.front()));
}

// 202: the call is queued for Telnyx (retried like every outbound command).
Task<Response> place_call(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto to = phone_value(body_text(*body, "to").value_or(""), "to");
  if (!to) co_return error_response(to.error());
  auto from = sender_number(context, *body);
  if (!from) co_return error_response(from.error());
  objects::protocol::PlaceCall::Request call{*to, *from, {}, std::nullopt, std::nullopt};
  co_return co_await idempotent_write<objects::protocol::PlaceCall>(context, "calls", std::move(call));
}

}  // namespace frontdesk::routes::api
