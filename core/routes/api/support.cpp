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

Response page_response(json::array items, bool has_more, std::optional<std::int64_t> next, std::string_view list) {
  json::value cursor = nullptr;
  if (has_more && next) cursor = encode_cursor(list, *next);
  return json_answer(200, json::object{{"data", std::move(items)}, {"has_more", has_more}, {"next_cursor", std::move(cursor)}});
}

objects::LedgerClient ledger_of(const ApiContext& context) { return {context.fx, context.principal.tenant}; }

objects::protocol::PageRequest page_request(const Page& page) { return {page.limit, page.position}; }

Result<std::string> sender_number(const ApiContext& context, const json::object& body) {
  if (const auto given = body_text(body, "from")) return phone_value(*given, "from");
  const auto& numbers = tenant_settings(context.app.settings(), context.principal.tenant).numbers;
  if (!numbers.empty()) return numbers.front();
  return make_error(ErrorCode::invalid_field, "from: is required (the tenant has no numbers)");
}

IdempotencyKey idempotency_of(const Request& request, std::string_view kind) {
  const auto key = request.headers.get("idempotency-key");
  if (!key) return {};
  return {std::string(kind) + ":" + std::string(*key), hex_encode(crypto::bytes_of(crypto::sha256(request.body)))};
}

Response queued_answer(const Result<objects::protocol::QueuedReply>& reply) {
  if (!reply) return error_response(reply.error());
  if (reply->conflict.value_or(false)) {
    return error_response(ErrorCode::conflict, "this Idempotency-Key was used with another request");
  }
  if (!reply->status || !reply->body) return error_response(ErrorCode::storage_unavailable, "the ledger gave no answer");
  return json_answer(static_cast<int>(*reply->status), objects::protocol::to_json(*reply->body));
}

Response json_answer(int status, const json::value& body) { return json_response(status, body); }

Response no_content() {
  Response response;
  response.status = 204;
  return response;
}

}  // namespace frontdesk::routes::api
