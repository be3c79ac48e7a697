// Texts: recorded with their analysis, and answered at most once per sender per window.
// The window check and the reply's record happen in this one ledger call, so two texts
// racing in cannot both be answered.
#include <algorithm>
#include <limits>
#include <boost/json.hpp>

#include "../../encoding.hpp"
#include "../../reception/auto_reply.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::string_view message_columns =
    "message_id, event_id, source, provider, from_number, to_number, direction, text, received_at, analysis, "
    "auto_reply, provider_message_id, seq";

json::object message_from_row(const std::vector<SqlValue>& row) {
  const auto reply = optional_text(row[10]);
  return {{"id", text_of(row[0])},          {"provider_message_id", text_of(row[11])},
          {"event_id", text_of(row[1])},    {"source", text_of(row[2])},
          {"provider", text_of(row[3])},    {"from", text_of(row[4])},       {"to", text_of(row[5])},
          {"direction", text_of(row[6])},   {"text", text_of(row[7])},       {"received_at", text_of(row[8])},
          {"analysis", json_of(row[9])},    {"auto_reply", reply ? json::value(*reply) : json::value(nullptr)}};
}

// How a reply reaches the sender: in Twilio's webhook answer, or queued for the provider API.
enum class Channel { none, twiml, api };

struct Route {
  Channel channel = Channel::none;
  const ProviderConfig* provider = nullptr;
};

Route reply_route(const Config& config, const Event& event) {
  const auto source = config.sources.find(event.source);
  if (source == config.sources.end()) return {};
  if (source->second.kind == SourceKind::twilio) return {Channel::twiml, nullptr};
  const auto provider = config.providers.find(source->second.provider);
  if (provider == config.providers.end() || !provider->second.problem.empty()) return {};
  return {Channel::api, &provider->second};
}

json::object answer(std::string event_id, bool duplicate, std::string message_id, json::value analysis,
                    const std::optional<std::string>& reply, Channel channel) {
  json::object out{{"event_id", std::move(event_id)},
                   {"duplicate", duplicate},
                   {"message_id", std::move(message_id)},
                   {"analysis", std::move(analysis)},
                   {"auto_reply", reply ? json::value(*reply) : json::value(nullptr)}};
  if (reply && channel == Channel::twiml) out["twiml"] = reception::twiml_message(*reply);
  return out;
}

}  // namespace

Task<ObjectReply> ingest_message(ObjectContext& context, const Event& event, std::string event_id, bool duplicate,
                                 std::int64_t now_ms) {
  const auto& config = context.app.settings();
  const auto message_key = event.source + ":" + (event.message_id.empty() ? event.provider_event_id : event.message_id);
  const auto route = reply_route(config, event);

  std::vector<SqlValue> key{SqlValue{message_key}};
  auto stored = co_await context.fx.sql("SELECT message_id, analysis, auto_reply FROM messages WHERE message_key = ?",
                                        std::move(key));
  if (!stored) co_return stored.error();
  if (!stored->rows.empty()) {
    // A repeat (of this delivery, or of the message through another event): answered as
    // the first time, nothing sent again.
    const auto& row = stored->rows[0];
    co_return json::serialize(
        answer(event_id, true, text_of(row[0]), json_of(row[1]), optional_text(row[2]), route.channel));
  }

  const auto& tenant = tenant_settings(config, context.id);
  const auto& policy = tenant.policy;
  const auto& own_numbers = tenant.numbers;
  const auto analysis = reception::analyse_text(event.text, policy.keywords);
  const auto analysis_json = reception::analysis_to_json(analysis);

  std::optional<std::string> reply;
  if (route.channel != Channel::none) {
    std::vector<SqlValue> sender{SqlValue{event.from}};
    auto last = co_await context.fx.sql("SELECT last_at_ms FROM auto_replies WHERE sender = ?", std::move(sender));
    if (!last) co_return last.error();
    std::optional<std::int64_t> last_at;
    if (!last->rows.empty()) last_at = int_of(last->rows[0][0]);
    reply = reception::choose_auto_reply(analysis, policy, event.from, own_numbers, last_at, now_ms);
  }

  auto random = co_await context.fx.random(10);
  if (!random) co_return random.error();
  const auto message_id = "msg_" + hex_encode(*random);
  const auto at = rfc3339_from_ms(now_ms);
  std::vector<SqlValue> row{message_key, message_id, event.message_id, event_id, event.source, event.provider, event.from, event.to,
                            event.direction, event.text, at, std::string(reception::intent_name(analysis.intent)),
                            std::string(reception::sentiment_name(analysis.sentiment)),
                            std::string(reception::priority_name(analysis.priority)), json::serialize(analysis_json),
                            reply ? SqlValue{*reply} : SqlValue{}};
  auto inserted = co_await context.fx.sql(
      "INSERT INTO messages (message_key, message_id, provider_message_id, event_id, source, provider, from_number, to_number, direction, "
      "text, received_at, intent, sentiment, priority, analysis, auto_reply) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      std::move(row));
  if (!inserted) co_return inserted.error();
  if (auto noted = co_await note_identity(context, event.from, at, Sighting::message); !noted) co_return noted.error();

  if (reply) {
    std::vector<SqlValue> window{SqlValue{event.from}, SqlValue{now_ms}};
    auto marked = co_await context.fx.sql(
        "INSERT INTO auto_replies (sender, last_at_ms) VALUES (?, ?) "
        "ON CONFLICT (sender) DO UPDATE SET last_at_ms = excluded.last_at_ms",
        std::move(window));
    if (!marked) co_return marked.error();
    if (route.channel == Channel::api) {
      auto command = reception::text_reply_command(*route.provider, message_key, event.to, event.from, *reply);
      std::vector<reception::OutboundCommand> commands;
      if (command) commands.push_back(std::move(*command));
      if (auto queued = co_await enqueue(context, std::move(commands), now_ms); !queued) co_return queued.error();
    }
  }

  json::object body{{"message_id", message_id}, {"from", event.from}, {"to", event.to},
                    {"analysis", analysis_json}, {"auto_reply", reply ? json::value(*reply) : json::value(nullptr)}};
  audit::EntryFields fields{at, "message.decision", message_id, json::serialize(body)};
  if (auto appended = co_await audit_once(context, std::move(fields)); !appended) co_return appended.error();
  co_return json::serialize(answer(event_id, duplicate, message_id, analysis_json, reply, route.channel));
}

// Newest first; `before_seq` continues a listing.
Task<ObjectReply> list_messages(ObjectContext& context, const json::object& message) {
  const auto [limit, before] = listing_of(message);
  std::vector<SqlValue> params{SqlValue{before}, SqlValue{limit + 1}};
  auto rows = co_await context.fx.sql("SELECT " + std::string(message_columns) +
                                          " FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?",
                                      std::move(params));
  if (!rows) co_return rows.error();
  co_return json::serialize(
      page_reply("messages", rows->rows, limit, 12, [&](const auto& row) { return message_from_row(row); }));
}

}  // namespace frontdesk::objects::ledger
