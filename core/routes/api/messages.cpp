// /api/v1/messages: the tenant's texts, one with its status history, and sending one
// through its provider.
#include <array>
#include <boost/json.hpp>

#include "../../json.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {
namespace {

constexpr std::size_t max_text_bytes = 1600;

// The provider a tenant's texts go out through: OpenPhone when configured, else Telnyx,
// else Twilio.
std::optional<std::string> text_provider(const Config& config) {
  constexpr std::array<std::string_view, 3> preferred{"openphone", "telnyx", "twilio"};
  for (const auto name : preferred) {
    const auto found = config.providers.find(name);
    if (found != config.providers.end() && found->second.problem.empty()) return std::string(name);
  }
  return std::nullopt;
}

}  // namespace

Task<Response> list_messages(ApiContext& context) {
  // Built outside the co_await: GCC 12 miscompiles braced lists inside one.
  json::object message{{"op", "list_messages"}};
  co_return co_await paged_list(context, "messages", std::move(message));
}

// One text, with its status events as `history`.
Task<Response> get_message(ApiContext& context) {
  const auto id = path_param(context, "id");
  json::object message{{"op", "list_messages"}, {"id", id}, {"limit", 1}};
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  const auto* messages = reply->if_contains("messages");
  if (!messages || !messages->is_array()) {
    co_return error_response(ErrorCode::storage_unavailable, "the ledger gave no list");
  }
  if (messages->get_array().empty()) co_return error_response(ErrorCode::not_found, "no message " + id);
  co_return json_answer(200, messages->get_array()[0]);
}

// 202: the text is queued for the provider (retried like every outbound command).
Task<Response> send_message(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto to = phone_value(body_text(*body, "to").value_or(""), "to");
  if (!to) co_return error_response(to.error());
  const auto text = body_text(*body, "text");
  if (!text || text->empty() || text->size() > max_text_bytes) {
    co_return error_response(ErrorCode::invalid_field,
                             "text: must be a non-empty string of at most " + std::to_string(max_text_bytes) + " bytes");
  }
  auto from = sender_number(context, *body);
  if (!from) co_return error_response(from.error());
  const auto provider = text_provider(context.app.settings());
  if (!provider) co_return error_response(ErrorCode::invalid_field, "from: no provider is configured to send texts");
  json::object message{{"op", "send_message"}, {"to", *to}, {"from", *from}, {"text", *text}, {"provider", *provider}};
  co_return co_await idempotent_write(context, "messages", std::move(message));
}

}  // namespace frontdesk::routes::api
