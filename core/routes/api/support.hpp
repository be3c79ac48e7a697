#pragma once
// What the API handlers share: asking the tenant's ledger, reading inputs the same way
// everywhere (phones, limits, cursors, JSON bodies), and writing answers.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "../../objects/ledger/client.hpp"
#include "../../objects/ledger/protocol.hpp"
#include "../../objects/protocol.hpp"
#include "api.hpp"

namespace frontdesk::routes::api {

namespace json = boost::json;

// A path parameter, percent-decoded.
std::string path_param(const ApiContext& context, std::string_view name);
// A phone from a path parameter or a body field, as E.164; invalid_field naming `field`.
Result<std::string> phone_value(std::string_view text, std::string_view field);

// The JSON object body; malformed_body when it is not one. Unknown fields are the caller's
// to ignore.
Result<json::object> body_object(const Request& request);
std::optional<std::string> body_text(const json::object& body, std::string_view field);

struct Page {
  std::int64_t limit = 50;
  std::optional<std::int64_t> position;  // from the cursor
};
// limit (1–200, default 50) and cursor from the query; invalid_field naming either.
Result<Page> page_of(const Request& request, std::string_view list);
std::optional<std::string> query_value(const Request& request, std::string_view name);
// 200 {"data":[…],"has_more":…,"next_cursor":…}: a page of a listing, `next` encoded as
// this list's cursor while more follow.
Response page_response(json::array items, bool has_more, std::optional<std::int64_t> next, std::string_view list);
// The same from a typed page (core/objects/ledger/protocol.hpp): its `listed` items, each
// shown as `document(item)` gives it.
template <class Listing, class Item, class Document>
Response page_response(const Listing& page, std::vector<Item> Listing::*listed, std::string_view list, Document&& document) {
  json::array items;
  items.reserve((page.*listed).size());
  for (const auto& item : page.*listed) items.emplace_back(document(item));
  return page_response(std::move(items), page.has_more, page.next, list);
}
// The caller's tenant's ledger, typed.
objects::LedgerClient ledger_of(const ApiContext& context);
// What the query asks of a typed listing: limit and the cursor's position.
objects::protocol::PageRequest page_request(const Page& page);

// The number a text or call goes out from: the body's `from`, else the tenant's first number.
Result<std::string> sender_number(const ApiContext& context, const json::object& body);

// The request's Idempotency-Key, scoped by `kind` (messages:<key>), and the body's hash;
// both absent without the header.
struct IdempotencyKey {
  std::optional<std::string> key;
  std::optional<std::string> request_hash;
};
IdempotencyKey idempotency_of(const Request& request, std::string_view kind);
// What the ledger decided of an idempotent write: its status and body, 409 for a key reused
// with another body.
Response queued_answer(const Result<objects::protocol::QueuedReply>& reply);

// Sends an idempotent write (send_message, place_call) to the ledger with the request's key
// and the caller as its actor, and answers what the ledger decided.
template <class Op>
Task<Response> idempotent_write(ApiContext& context, std::string_view kind, typename Op::Request request) {
  auto idempotency = idempotency_of(context.request, kind);
  request.idempotency_key = std::move(idempotency.key);
  request.request_hash = std::move(idempotency.request_hash);
  request.actor = context.principal.actor;
  auto reply = co_await ledger_of(context).call<Op>(request);
  co_return queued_answer(reply);
}

Response json_answer(int status, const json::value& body);
Response no_content();

// A typed reply as the answer: `status` with the reply's JSON as its body (204: none); the
// ledger's errors as error answers.
template <class Reply>
Response typed_answer(int status, const Result<Reply>& reply) {
  if (!reply) return error_response(reply.error());
  if (status == 204) return no_content();
  return json_answer(status, objects::protocol::to_json(*reply));
}

}  // namespace frontdesk::routes::api
