#include "support.hpp"

#include <boost/json.hpp>

#include "../../crypto/primitives.hpp"
#include "../../encoding.hpp"
#include "../../json.hpp"
#include "../../objects/ledger/ledger.hpp"
#include "../../phone.hpp"

namespace frontdesk::routes::api {
namespace {

constexpr std::int64_t max_limit = 200;

// Cursors are opaque to clients: base64url of "<list>:<position>".
std::string encode_cursor(std::string_view list, std::int64_t position) {
  std::string text(list);
  text.append(":").append(std::to_string(position));
  auto encoded = base64_encode(text);
  for (auto& c : encoded) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  return encoded;
}

std::optional<std::int64_t> decode_cursor(std::string_view list, std::string cursor) {
  for (auto& c : cursor) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (cursor.size() % 4 != 0) cursor.push_back('=');
  const auto decoded = base64_decode(cursor);
  if (!decoded || decoded->size() <= list.size() + 1 || decoded->compare(0, list.size(), list) != 0 ||
      (*decoded)[list.size()] != ':') {
    return std::nullopt;
  }
  const auto digits = decoded->substr(list.size() + 1);
  if (digits.size() > 15) return std::nullopt;
  std::int64_t position = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    position = position * 10 + (c - '0');
  }
  return position;
}

}  // namespace

Task<Result<json::object>> ask_ledger(ApiContext& context, json::object message) {
  if (!message.contains("actor")) message["actor"] = context.principal.actor;
  auto reply = co_await context.fx.object_call(std::string(objects::ledger_kind), context.principal.tenant,
                                               json::serialize(message));
  if (!reply) co_return reply.error();
  json::error_code ec;
  auto parsed = json::parse(*reply, ec);
  if (ec || !parsed.is_object()) co_return make_error(ErrorCode::storage_unavailable, "the ledger gave no answer");
  co_return std::move(parsed.get_object());
}

std::string path_param(const ApiContext& context, std::string_view name) {
  return percent_decode(context.params.get(name).value_or(""), false);
}

Result<std::string> phone_value(std::string_view text, std::string_view field) {
  auto e164 = normalize_e164(text);
  if (!e164) return make_error(ErrorCode::invalid_field, std::string(field) + ": is not a phone number");
  return std::move(*e164);
}

Result<json::object> body_object(const Request& request) {
  json::error_code ec;
  auto parsed = json::parse(request.body, ec);
  if (ec || !parsed.is_object()) return make_error(ErrorCode::malformed_body, "the body must be a JSON object");
  return std::move(parsed.get_object());
}

std::optional<std::string> body_text(const json::object& body, std::string_view field) {
  const auto* value = body.if_contains(field);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

std::optional<std::string> query_value(const Request& request, std::string_view name) {
  const auto params = request.query_params();
  const auto value = find_param(params, name);
  if (!value) return std::nullopt;
  return std::string(*value);
}

Result<Page> page_of(const Request& request, std::string_view list) {
  Page page;
  if (const auto limit = query_value(request, "limit")) {
    std::int64_t value = 0;
    bool digits = !limit->empty() && limit->size() <= 4;
    for (const char c : *limit) {
      digits = digits && c >= '0' && c <= '9';
      if (digits) value = value * 10 + (c - '0');
    }
    if (!digits || value < 1 || value > max_limit) {
      return make_error(ErrorCode::invalid_field, "limit: must be an integer from 1 to " + std::to_string(max_limit));
    }
    page.limit = value;
  }
  if (const auto cursor = query_value(request, "cursor"); cursor && !cursor->empty()) {
    page.position = decode_cursor(list, *cursor);
    if (!page.position) return make_error(ErrorCode::invalid_field, "cursor: is not a cursor of this list");
  }
  return page;
}

Response list_response(const json::object& ledger_reply, std::string_view items_key, std::string_view list) {
  const auto* items = ledger_reply.if_contains(items_key);
  if (!items || !items->is_array()) return error_response(ErrorCode::storage_unavailable, "the ledger gave no list");
  const auto* more = ledger_reply.if_contains("has_more");
  const auto* next = ledger_reply.if_contains("next");
  const bool has_more = more && more->is_bool() && more->get_bool();
  json::value cursor = nullptr;
  if (has_more && next && next->is_int64()) cursor = encode_cursor(list, next->get_int64());
  return json_answer(200, json::object{{"data", *items}, {"has_more", has_more}, {"next_cursor", std::move(cursor)}});
}

Response page_response(json::array items, bool has_more, std::optional<std::int64_t> next, std::string_view list) {
  json::value cursor = nullptr;
  if (has_more && next) cursor = encode_cursor(list, *next);
  return json_answer(200, json::object{{"data", std::move(items)}, {"has_more", has_more}, {"next_cursor", std::move(cursor)}});
}

objects::LedgerClient ledger_of(const ApiContext& context) { return {context.fx, context.principal.tenant}; }

objects::protocol::PageRequest page_request(const Page& page) { return {page.limit, page.position}; }

Task<Response> ledger_answer(ApiContext& context, json::object message, int status) {
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  if (status == 204) co_return no_content();
  co_return json_answer(status, *reply);
}

Task<Response> paged_list(ApiContext& context, std::string_view list, json::object message) {
  auto page = page_of(context.request, list);
  if (!page) co_return error_response(page.error());
  message["limit"] = page->limit;
  if (page->position) message["before_seq"] = *page->position;
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  co_return list_response(*reply, list, list);
}

Result<std::string> sender_number(const ApiContext& context, const json::object& body) {
  if (const auto given = body_text(body, "from")) return phone_value(*given, "from");
  const auto& numbers = tenant_settings(context.app.settings(), context.principal.tenant).numbers;
  if (!numbers.empty()) return numbers.front();
  return make_error(ErrorCode::invalid_field, "from: is required (the tenant has no numbers)");
}

Task<Response> idempotent_write(ApiContext& context, std::string_view kind, json::object message) {
  if (const auto key = context.request.headers.get("idempotency-key")) {
    message["idempotency_key"] = std::string(kind) + ":" + std::string(*key);
    message["request_hash"] = hex_encode(crypto::bytes_of(crypto::sha256(context.request.body)));
  }
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  if (reply->contains("conflict")) {
    co_return error_response(ErrorCode::conflict, "this Idempotency-Key was used with another request");
  }
  const auto* status = reply->if_contains("status");
  const auto* body = reply->if_contains("body");
  if (!status || !status->is_int64() || !body) {
    co_return error_response(ErrorCode::storage_unavailable, "the ledger gave no answer");
  }
  co_return json_answer(static_cast<int>(status->get_int64()), *body);
}

Response json_answer(int status, const json::value& body) { return json_response(status, body); }

Response no_content() {
  Response response;
  response.status = 204;
  return response;
}

}  // namespace frontdesk::routes::api
