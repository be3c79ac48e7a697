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

// A text as the API shows it: every field, null when unset; `history` only for one text.
json::object message_document(const objects::protocol::Message& message) {
  auto document = objects::protocol::to_document(message);
  if (!message.history) document.erase("history");
  return document;
}

}  // namespace

Task<Response> list_messages(ApiContext& context) {
  const auto page = page_of(context.request, "messages");
  if (!page) co_return error_response(page.error());
  const objects::protocol::MessageList::Request listing{page->limit, page->position, std::nullopt};
  auto messages = co_await ledger_of(context).call<objects::protocol::MessageList>(listing);
  if (!messages) co_return error_response(messages.error());
  co_return page_response(*messages, &objects::protocol::MessagePage::messages, "messages", message_document);
}

// One text, with its status events as `history`.
Task<Response> get_message(ApiContext& context) {
  const auto id = path_param(context, "id");
  const objects::protocol::MessageList::Request listing{1, std::nullopt, id};
  auto messages = co_await ledger_of(context).call<objects::protocol::MessageList>(listing);
  if (!messages) co_return error_response(messages.error());
  if (messages->messages.empty()) co_return error_response(ErrorCode::not_found, "no message " + id);
  co_return json_answer(200, message_document(messages->messages.front()));
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
  objects::protocol::SendMessage::Request send{*to, *from, *text, *provider, {}, std::nullopt, std::nullopt};
  co_return co_await idempotent_write<objects::protocol::SendMessage>(context, "messages", std::move(send));
}

}  // namespace frontdesk::routes::api
