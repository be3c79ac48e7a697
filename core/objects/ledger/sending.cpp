// Texts and calls the API asks for: queued for the provider (the outbound queue sends and
// retries them), recorded, audited, and idempotent: the same Idempotency-Key with the same
// request gives the first answer back, with another request a conflict.
#include <boost/json.hpp>

#include "../../encoding.hpp"
#include "../../tenants.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::int64_t idempotency_window_ms = 24LL * 3600 * 1000;

struct Replay {
  bool conflict = false;
  std::optional<std::string> answer;  // the stored reply, when this is a repeat
};

Task<Result<Replay>> replay(Fx& fx, const json::object& message, std::int64_t now_ms) {
  const auto key = field_text(message, "idempotency_key");
  if (key.empty()) co_return Replay{};
  std::vector<SqlValue> params{SqlValue{key}, SqlValue{now_ms - idempotency_window_ms}};
  auto rows = co_await fx.sql("SELECT request_hash, reply FROM idempotency WHERE key = ? AND created_ms > ?",
                              std::move(params));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return Replay{};
  if (text_of(rows->rows[0][0]) != field_text(message, "request_hash")) co_return Replay{true, std::nullopt};
  co_return Replay{false, text_of(rows->rows[0][1])};
}

Task<Result<void>> remember(Fx& fx, const json::object& message, const std::string& reply, std::int64_t now_ms) {
  const auto key = field_text(message, "idempotency_key");
  if (key.empty()) co_return Unit{};
  std::vector<SqlValue> params{SqlValue{key}, SqlValue{field_text(message, "request_hash")}, SqlValue{reply},
                               SqlValue{now_ms}};
  auto stored = co_await fx.sql(
      "INSERT INTO idempotency (key, request_hash, reply, created_ms) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, reply = excluded.reply, "
      "created_ms = excluded.created_ms",
      std::move(params));
  if (!stored) co_return stored.error();
  co_return Unit{};
}

constexpr std::string_view conflict_reply = R"({"conflict":true})";

Result<const ProviderConfig*> provider_named(const Config& config, const std::string& name) {
  const auto found = config.providers.find(name);
  if (found == config.providers.end() || !found->second.problem.empty()) {
    return make_error(ErrorCode::invalid_field, "provider: " + name + " is not configured");
  }
  return &found->second;
}

// The queued write's answer body (always a 202), or the error that stopped it.
using Write = Task<Result<json::object>> (*)(ObjectContext&, const json::object&, std::int64_t now_ms);

// A repeat of a key answers what the first request got; a key reused with another request is
// a conflict; otherwise the write runs and its answer is kept for the key.
Task<ObjectReply> idempotently(ObjectContext& context, const json::object& message, Write write) {
  auto now = co_await context.fx.now();
  if (!now) co_return now.error();
  auto repeat = co_await replay(context.fx, message, *now);
  if (!repeat) co_return repeat.error();
  if (repeat->conflict) co_return std::string(conflict_reply);
  if (repeat->answer) co_return *repeat->answer;
  auto body = co_await write(context, message, *now);
  if (!body) co_return body.error();
  const auto reply = json::serialize(json::object{{"status", 202}, {"body", std::move(*body)}});
  if (auto kept = co_await remember(context.fx, message, reply, *now); !kept) co_return kept.error();
  co_return reply;
}

Task<Result<json::object>> queue_message(ObjectContext& context, const json::object& message, std::int64_t now_ms) {
  auto& fx = context.fx;
  auto provider = provider_named(context.app.settings(), field_text(message, "provider"));
  if (!provider) co_return provider.error();
  auto random = co_await fx.random(10);
  if (!random) co_return random.error();
  const auto id = "msg_" + hex_encode(*random);
  const auto to = field_text(message, "to");
  const auto from = field_text(message, "from");
  const auto text = field_text(message, "text");
  const auto at = rfc3339_from_ms(now_ms);
  auto command = reception::text_reply_command(**provider, "api:" + id, from, to, text);
  if (!command) co_return make_error(ErrorCode::invalid_field, "provider: cannot send texts");
  command->action = (*provider)->name + ".send";
  command->message_key = "api:" + id;
  std::vector<reception::OutboundCommand> commands{std::move(*command)};
  if (auto queued = co_await enqueue(context, std::move(commands), now_ms); !queued) co_return queued.error();
  std::vector<SqlValue> row{"api:" + id, id, "", "", "api", (*provider)->name, from, to, "outbound", text, at,
                            "", "", "", "null", "queued", json::serialize(json::array{json::value(to)})};
  auto inserted = co_await fx.sql(
      "INSERT INTO messages (message_key, message_id, provider_message_id, event_id, source, provider, from_number, "
      "to_number, direction, text, received_at, intent, sentiment, priority, analysis, status, recipients) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      std::move(row));
  if (!inserted) co_return inserted.error();
  json::object body{{"id", id}, {"status", "queued"}, {"to", to}, {"from", from}, {"text", text}};
  json::object audited{{"id", id}, {"to", to}, {"from", from}, {"actor", field_text(message, "actor")}};
  audit::EntryFields fields{at, "message.send", id, json::serialize(audited)};
  if (auto appended = co_await audit_once(context, std::move(fields)); !appended) co_return appended.error();
  json::object data{{"message_id", id}, {"from", from},         {"to", to},          {"text", text},
                    {"provider", (*provider)->name}, {"auto_reply", false}, {"in_reply_to", nullptr}};
  std::vector<FanoutEvent> events{fanout_event(context.id, "message.sent", id, std::move(data))};
  if (auto sent = co_await fan_out(context, events, now_ms); !sent) co_return sent.error();
  co_return body;
}

// The provider that places the API's calls: Telnyx (Call Control, on its connection) when
// configured, else Twilio (Calls.json, whose call then reports to the Twilio source).
Result<const ProviderConfig*> call_provider(const Config& config) {
  if (auto telnyx = provider_named(config, "telnyx")) return telnyx;
  return provider_named(config, "twilio");
}

Task<Result<json::object>> queue_call(ObjectContext& context, const json::object& message, std::int64_t now_ms) {
  auto& fx = context.fx;
  auto provider = call_provider(context.app.settings());
  if (!provider) co_return provider.error();
  auto random = co_await fx.random(10);
  if (!random) co_return random.error();
  const auto id = "dial_" + hex_encode(*random);
  const auto to = field_text(message, "to");
  const auto from = field_text(message, "from");
  const auto at = rfc3339_from_ms(now_ms);
  // Twilio asks the call's first TwiML, and then its status, of the Twilio source.
  std::string twilio_url;
  for (const auto& [name, source] : context.app.settings().sources) {
    if (source.kind == SourceKind::twilio && twilio_url.empty()) twilio_url = source.public_url;
  }
  auto command = reception::dial_command(**provider, twilio_url, id, context.id, from, to);
  if (!command) co_return make_error(ErrorCode::invalid_field, "provider: twilio calls need a twilio source (its public_url)");
  std::vector<reception::OutboundCommand> commands{std::move(*command)};
  if (auto queued = co_await enqueue(context, std::move(commands), now_ms); !queued) co_return queued.error();
  json::object body{{"id", id}, {"status", "queued"}, {"to", to}, {"from", from}};
  json::object audited{{"id", id}, {"to", to}, {"from", from}, {"actor", field_text(message, "actor")}};
  audit::EntryFields fields{at, "call.place", id, json::serialize(audited)};
  if (auto appended = co_await audit_once(context, std::move(fields)); !appended) co_return appended.error();
  co_return body;
}

}  // namespace

// {"to","from","text","provider","actor","idempotency_key"?,"request_hash"?} → {"status":202,"body":{…}}
// or {"conflict":true}.
Task<ObjectReply> send_message(ObjectContext& context, const json::object& message) {
  co_return co_await idempotently(context, message, &queue_message);
}

// {"to","from","actor","idempotency_key"?,"request_hash"?}: an outbound call through Telnyx
// (POST /v2/calls on the configured connection) or Twilio (Calls.json) → {"status":202,"body":{…}} or {"conflict":true}.
Task<ObjectReply> place_call(ObjectContext& context, const json::object& message) {
  co_return co_await idempotently(context, message, &queue_call);
}

}  // namespace frontdesk::objects::ledger
