// Texts and calls the API asks for: queued for the provider (the outbound queue sends and
// retries them), recorded, audited, and idempotent: the same Idempotency-Key with the same
// request gives the first answer back, with another request a conflict.
#include <boost/json.hpp>

#include "../../encoding.hpp"
#include "../../tenants.hpp"
#include "../../time.hpp"
#include "../protocol.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::int64_t idempotency_window_ms = 24LL * 3600 * 1000;

// The key a write was sent with, when it was.
struct Idempotency {
  const std::optional<std::string>& key;
  const std::optional<std::string>& request_hash;
  bool asked() const { return key && !key->empty(); }
};

struct Replay {
  bool conflict = false;
  std::optional<protocol::QueuedReply> answer;  // the stored reply, when this is a repeat
};

Task<Result<Replay>> replay(Fx& fx, const Idempotency& idempotency, std::int64_t now_ms) {
  if (!idempotency.asked()) co_return Replay{};
  std::vector<SqlValue> params{SqlValue{*idempotency.key}, SqlValue{now_ms - idempotency_window_ms}};
  FRONTDESK_CO_TRY(const auto rows, co_await fx.sql("SELECT request_hash, reply FROM idempotency WHERE key = ? AND "
                                                     "created_ms > ?",
                                                     std::move(params)));
  if (rows.rows.empty()) co_return Replay{};
  if (text_of(cell(rows, "request_hash")) != idempotency.request_hash.value_or("")) co_return Replay{true, std::nullopt};
  json::error_code ec;
  const auto stored = json::parse(text_of(cell(rows, "reply")), ec);
  auto answer = ec ? Result<protocol::QueuedReply>(make_error(ErrorCode::storage_unavailable, "a kept reply is not JSON"))
                   : protocol::decode<protocol::QueuedReply>(stored);
  if (!answer) co_return make_error(ErrorCode::storage_unavailable, "a kept reply: " + answer.error().message);
  co_return Replay{false, std::move(*answer)};
}

Task<Result<void>> remember(Fx& fx, const Idempotency& idempotency, const protocol::QueuedReply& reply,
                            std::int64_t now_ms) {
  if (!idempotency.asked()) co_return Unit{};
  std::vector<SqlValue> params{SqlValue{*idempotency.key}, SqlValue{idempotency.request_hash.value_or("")},
                               SqlValue{json::serialize(protocol::to_json(reply))}, SqlValue{now_ms}};
  FRONTDESK_CO_CHECK(co_await fx.sql(
      "INSERT INTO idempotency (key, request_hash, reply, created_ms) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, reply = excluded.reply, "
      "created_ms = excluded.created_ms",
      std::move(params)));
  co_return Unit{};
}

Result<const ProviderConfig*> provider_named(const Config& config, const std::string& name) {
  const auto found = config.providers.find(name);
  if (found == config.providers.end() || !found->second.problem.empty()) {
    return make_error(ErrorCode::invalid_field, "provider: " + name + " is not configured");
  }
  return &found->second;
}

// A repeat of a key answers what the first request got; a key reused with another request is
// a conflict; otherwise the write runs and its answer (always a 202) is kept for the key.
template <class Request, class Write>
Task<Result<protocol::QueuedReply>> idempotently(ObjectContext& context, const Request& request, Write write) {
  const Idempotency idempotency{request.idempotency_key, request.request_hash};
  FRONTDESK_CO_TRY(const auto now, co_await context.fx.now());
  FRONTDESK_CO_TRY(auto repeat, co_await replay(context.fx, idempotency, now));
  if (repeat.conflict) co_return protocol::QueuedReply{std::nullopt, std::nullopt, true};
  if (repeat.answer) co_return std::move(*repeat.answer);
  FRONTDESK_CO_TRY(auto queued, co_await write(context, request, now));
  protocol::QueuedReply reply{202, std::move(queued), std::nullopt};
  FRONTDESK_CO_CHECK(co_await remember(context.fx, idempotency, reply, now));
  co_return reply;
}

Task<Result<protocol::Queued>> queue_message(ObjectContext& context, const protocol::SendMessage::Request& request,
                                            std::int64_t now_ms) {
  auto& fx = context.fx;
  auto provider = provider_named(context.app.settings(), request.provider);
  if (!provider) co_return provider.error();
  FRONTDESK_CO_TRY(const auto random, co_await fx.random(10));
  const auto id = "msg_" + hex_encode(random);
  const auto& to = request.to;
  const auto& from = request.from;
  const auto& text = request.text;
  const auto at = rfc3339_from_ms(now_ms);
  auto command = reception::text_reply_command(**provider, "api:" + id, from, to, text);
  if (!command) co_return make_error(ErrorCode::invalid_field, "provider: cannot send texts");
  command->action = (*provider)->name + ".send";
  command->message_key = "api:" + id;
  std::vector<reception::OutboundCommand> commands{std::move(*command)};
  FRONTDESK_CO_CHECK(co_await enqueue(context, std::move(commands), now_ms));
  std::vector<SqlValue> row{"api:" + id, id, "", "", "api", (*provider)->name, from, to, "outbound", text, at,
                            "", "", "", "null", "queued", json::serialize(json::array{json::value(to)})};
  FRONTDESK_CO_CHECK(co_await fx.sql(
      "INSERT INTO messages (message_key, message_id, provider_message_id, event_id, source, provider, from_number, "
      "to_number, direction, text, received_at, intent, sentiment, priority, analysis, status, recipients) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      std::move(row)));
  json::object audited{{"id", id}, {"to", to}, {"from", from}, {"actor", request.actor}};
  audit::EntryFields fields{at, "message.send", id, json::serialize(audited)};
  FRONTDESK_CO_CHECK(co_await audit_once(context, std::move(fields)));
  json::object data{{"message_id", id}, {"from", from},         {"to", to},          {"text", text},
                    {"provider", (*provider)->name}, {"auto_reply", false}, {"in_reply_to", nullptr}};
  std::vector<FanoutEvent> events{fanout_event(context.id, "message.sent", id, std::move(data))};
  FRONTDESK_CO_CHECK(co_await fan_out(context, events, now_ms));
  co_return protocol::Queued{id, "queued", to, from, text};
}

// The provider that places the API's calls: Telnyx (Call Control, on its connection) when
// configured, else Twilio (Calls.json, whose call then reports to the Twilio source).
Result<const ProviderConfig*> call_provider(const Config& config) {
  if (auto telnyx = provider_named(config, "telnyx")) return telnyx;
  return provider_named(config, "twilio");
}

Task<Result<protocol::Queued>> queue_call(ObjectContext& context, const protocol::PlaceCall::Request& request,
                                         std::int64_t now_ms) {
  auto& fx = context.fx;
  auto provider = call_provider(context.app.settings());
  if (!provider) co_return provider.error();
  FRONTDESK_CO_TRY(const auto random, co_await fx.random(10));
  const auto id = "dial_" + hex_encode(random);
  const auto& to = request.to;
  const auto& from = request.from;
  const auto at = rfc3339_from_ms(now_ms);
  // Twilio asks the call's first TwiML, and then its status, of the Twilio source.
  std::string twilio_url;
  for (const auto& [name, source] : context.app.settings().sources) {
    if (source.kind == SourceKind::twilio && twilio_url.empty()) twilio_url = source.public_url;
  }
  auto command = reception::dial_command(**provider, twilio_url, id, context.id, from, to);
  if (!command) co_return make_error(ErrorCode::invalid_field, "provider: twilio calls need a twilio source (its public_url)");
  std::vector<reception::OutboundCommand> commands{std::move(*command)};
  FRONTDESK_CO_CHECK(co_await enqueue(context, std::move(commands), now_ms));
  json::object audited{{"id", id}, {"to", to}, {"from", from}, {"actor", request.actor}};
  audit::EntryFields fields{at, "call.place", id, json::serialize(audited)};
  FRONTDESK_CO_CHECK(co_await audit_once(context, std::move(fields)));
  co_return protocol::Queued{id, "queued", to, from, std::nullopt};
}

}  // namespace

Task<Result<protocol::SendMessage::Reply>> send_message(ObjectContext& context,
                                                       const protocol::SendMessage::Request& request) {
  co_return co_await idempotently(context, request, queue_message);
}

Task<Result<protocol::PlaceCall::Reply>> place_call(ObjectContext& context, const protocol::PlaceCall::Request& request) {
  co_return co_await idempotently(context, request, queue_call);
}

}  // namespace frontdesk::objects::ledger
