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
  json::object message{{"op", "list_calls"}, {"limit", page->limit}};
  if (page->position) message["before_seq"] = *page->position;
  if (const auto status = query_value(request, "status")) {
    if (!reception::parse_call_state(*status)) {
      co_return error_response(ErrorCode::invalid_field,
                               "status: must be initiated, ringing, answered, completed, rejected or missed");
    }
    message["status"] = *status;
  }
  if (const auto from = query_value(request, "from")) {
    auto phone = phone_value(*from, "from");
    if (!phone) co_return error_response(phone.error());
    message["from"] = *phone;
  }
  if (const auto since = query_value(request, "since")) {
    const auto us = unix_us_from_rfc3339(*since);
    if (!us) co_return error_response(ErrorCode::invalid_field, "since: must be an RFC 3339 date-time");
    message["since_ms"] = *us / 1000;
  }
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  co_return list_response(*reply, "calls", "calls");
}

Task<Response> get_call(ApiContext& context) {
  const auto id = path_param(context, "id");
  json::object message{{"op", "list_calls"}, {"id", id}, {"limit", 1}};
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  const auto* calls = reply->if_contains("calls");
  if (!calls || !calls->is_array()) co_return error_response(ErrorCode::storage_unavailable, "the ledger gave no list");
  if (calls->get_array().empty()) co_return error_response(ErrorCode::not_found, "no call " + id);
  co_return json_answer(200, calls->get_array()[0]);
}

// 202: the call is queued for Telnyx (retried like every outbound command).
Task<Response> place_call(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto to = phone_value(body_text(*body, "to").value_or(""), "to");
  if (!to) co_return error_response(to.error());
  auto from = sender_number(context, *body);
  if (!from) co_return error_response(from.error());
  json::object message{{"op", "place_call"}, {"to", *to}, {"from", *from}};
  co_return co_await idempotent_write(context, "calls", std::move(message));
}

}  // namespace frontdesk::routes::api
