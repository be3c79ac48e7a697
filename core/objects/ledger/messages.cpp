// Texts: recorded with their analysis, and answered at most once per sender per window.
// The window check and the reply's record happen in this one ledger call, so two texts
// racing in cannot both be answered.
#include <algorithm>
#include <limits>
#include <boost/json.hpp>

#include "../../clock_and_random.hpp"
#include "../../reception/auto_reply.hpp"
#include "../../time.hpp"
#include "../../time_ordered_id.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::string_view message_columns =
    "message_id, event_id, source, provider, from_number, to_number, direction, text, received_at, analysis, "
    "auto_reply, provider_message_id, status, error_code, recipients, seq";

// The messages table's one mapping, by column name.
protocol::Message message_at(const SqlRows& rows, std::size_t row) {
  const auto text = [&](std::string_view column) { return text_of(cell(rows, column, row)); };
  std::vector<std::string> recipients;
  if (const auto numbers = json_of(cell(rows, "recipients", row)); numbers.is_array()) {
    for (const auto& number : numbers.get_array()) {
      if (number.is_string()) recipients.emplace_back(number.get_string());
    }
  }
  return {text("message_id"),  text("provider_message_id"), text("event_id"),
          text("source"),      text("provider"),            text("from_number"),
          text("to_number"),   std::move(recipients),       text("direction"),
          text("text"),        text("received_at"),         text("status"),
          text("error_code"),  json_of(cell(rows, "analysis", row)), optional_text(cell(rows, "auto_reply", row)),
          std::nullopt};
}

// Every recipient of the text (a group text has several); `to` when the event names none.
std::string recipients_json(const Event& event) {
  if (event.recipients.empty() && !event.to.empty()) return json::serialize(recipients_to_json({event.to}));
  return json::serialize(recipients_to_json(event.recipients));
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

// Twilio carries the auto-reply in its answer; the other providers were sent it.
protocol::Receive::Reply answer(std::string event_id, bool duplicate, const std::optional<std::string>& reply,
                                Channel channel) {
  auto twiml = reply && channel == Channel::twiml ? std::optional{reception::twiml_message(*reply)} : std::nullopt;
  return {std::move(event_id), duplicate, std::move(twiml)};
}

}  // namespace

Task<Received> receive_text(ObjectContext& context, const Event& event) {
  const auto& config = context.app.settings();
  FRONTDESK_CO_TRY(const auto now, received_ms(event));
  const auto message_key = event.source + ":" + (event.message_id.empty() ? event.provider_event_id : event.message_id);
  const auto route = reply_route(config, event);

  std::vector<SqlExec> known{
      find_event(event),
      {"SELECT message_id AS message_id, analysis AS analysis, auto_reply AS auto_reply FROM messages "
       "WHERE message_key = ?",
       {message_key}},
      {"SELECT last_at_ms AS last_at_ms FROM auto_replies WHERE sender = ?", {event.from}}, audit_newest_entry()};
  enum Known : std::size_t { found_event = 0, stored_message = 1, last_reply = 2, audit_head = 3 };
  auto [facts, random] = co_await when_all(sql_batch(context.fx, std::move(known)), random_task(context.fx, 20));
  FRONTDESK_CO_CHECK(first_failure(facts));
  if (!random) co_return random.error();
  const auto recorded = recorded_in(event, *facts[found_event]);
  if (const auto& stored = *facts[stored_message]; !stored.rows.empty()) {
    // The message again (this delivery repeated, or another event about it, which is
    // recorded as new): answered as the first time, nothing sent again.
    if (!recorded.duplicate) {
      FRONTDESK_CO_CHECK(co_await record_event(context.fx, event));
    }
    co_return answer(recorded.event_id, recorded.duplicate, optional_text(cell(stored, "auto_reply")), route.channel);
  }

  const auto& tenant = tenant_settings(config, context.id);
  const auto& policy = tenant.policy;
  const auto analysis = reception::analyse_text(event.text, policy.keywords);
  const auto analysis_json = reception::analysis_to_json(analysis);
  std::optional<std::string> reply;
  if (route.channel != Channel::none) {
    const auto& last = cell(*facts[last_reply], "last_at_ms");
    const auto last_at = std::holds_alternative<std::int64_t>(last) ? std::optional{int_of(last)} : std::nullopt;
    reply = reception::choose_auto_reply(analysis, policy, event.from, tenant.numbers, last_at, now);
  }

  const auto message_id = time_ordered_id("msg_", now, random->substr(0, 10));
  const auto at = rfc3339_from_ms(now);
  std::vector<SqlExec> changes;
  // A repeat reaches here only when its first delivery left no message (an older version's).
  if (!recorded.duplicate) changes.push_back(insert_event(event));
  changes.push_back(
      {"INSERT INTO messages (message_key, message_id, provider_message_id, event_id, source, provider, from_number, "
       "to_number, direction, text, received_at, intent, sentiment, priority, analysis, auto_reply, status, recipients) "
       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'received',?)",
       {message_key, message_id, event.message_id, recorded.event_id, event.source, event.provider, event.from,
        event.to, std::string(direction_name(event.direction)), event.text, at, std::string(reception::intent_name(analysis.intent)),
        std::string(reception::sentiment_name(analysis.sentiment)),
        std::string(reception::priority_name(analysis.priority)), json::serialize(analysis_json),
        reply ? SqlValue{*reply} : SqlValue{}, recipients_json(event)}});
  if (auto sighting = identity_sighting(event.from, at, Sighting::message, time_ordered_id("idn_", now, random->substr(10)))) {
    changes.push_back(std::move(*sighting));
  }
  std::optional<SqlExec> queued;
  if (reply) {
    changes.push_back({"INSERT INTO auto_replies (sender, last_at_ms) VALUES (?, ?) "
                       "ON CONFLICT (sender) DO UPDATE SET last_at_ms = excluded.last_at_ms",
                       {event.from, now}});
    if (route.channel == Channel::api) {
      std::vector<reception::OutboundCommand> commands;
      if (auto command = reception::text_reply_command(*route.provider, message_key, event.to, event.from, *reply)) {
        commands.push_back(std::move(*command));
      }
      queued = enqueue_statement(commands, now);
      if (queued) changes.push_back(*queued);
    }
  }
  json::object body{{"message_id", message_id}, {"from", event.from}, {"to", event.to},
                    {"analysis", analysis_json}, {"auto_reply", reply ? json::value(*reply) : json::value(nullptr)}};
  FRONTDESK_CO_TRY(auto entry,
                   audit::append(newest_entry_in(*facts[audit_head]),
                                 audit::EntryFields{at, "message.decision", message_id, json::serialize(body)}));
  for (auto& statement : audit_append(entry)) changes.push_back(std::move(statement));

  std::vector<FanoutEvent> events;
  if (fanout_wanted(*facts[found_event], context)) {
    json::object data{{"message_id", message_id},
                      {"from", event.from},
                      {"to", event.to},
                      {"text", event.text},
                      {"provider", event.provider},
                      {"intent", reception::intent_name(analysis.intent)},
                      {"sentiment", reception::sentiment_name(analysis.sentiment)},
                      {"priority", reception::priority_name(analysis.priority)},
                      {"analysis", analysis_json},
                      {"auto_reply", reply.has_value()}};
    events.push_back(fanout_event(context.id, "message.received", message_id, std::move(data)));
    if (reply) {
      json::object sent{{"message_id", nullptr}, {"from", event.to},          {"to", event.from},
                        {"text", *reply},         {"provider", event.provider}, {"auto_reply", true},
                        {"in_reply_to", message_id}};
      events.push_back(fanout_event(context.id, "message.sent", message_id + "\nreply", std::move(sent)));
    }
  }
  const auto alarm = queued ? std::optional{now} : std::nullopt;
  FRONTDESK_CO_CHECK(co_await write_changes(context, std::move(changes), alarm, events, now));
  co_return answer(recorded.event_id, recorded.duplicate, reply, route.channel);
}

// Newest first; `before_seq` continues a listing. With `id`, that one message (or none)
// and its status events, oldest first, as `history`.
Task<Result<protocol::MessageList::Reply>> list_messages(ObjectContext& context,
                                                        const protocol::MessageList::Request& request) {
  const auto [limit, before] = listing_of(protocol::PageRequest{request.limit, request.before_seq});
  const auto id = request.id.value_or("");
  std::vector<SqlValue> params{SqlValue{before}};
  std::string sql = "SELECT " + std::string(message_columns) + " FROM messages WHERE seq < ?";
  if (!id.empty()) {
    sql += " AND message_id = ?";
    params.emplace_back(id);
  }
  sql += " ORDER BY seq DESC LIMIT ?";
  params.emplace_back(limit + 1);
  FRONTDESK_CO_TRY(auto rows, co_await context.fx.sql(std::move(sql), std::move(params)));
  auto page = page_of(&protocol::MessagePage::messages, rows, limit, message_at);
  if (!id.empty() && !page.messages.empty()) {
    auto statement = message_history(page.messages.front().provider_message_id);
    FRONTDESK_CO_TRY(const auto history, co_await context.fx.sql(std::move(statement.sql), std::move(statement.params)));
    page.messages.front().history = history_of(history);
  }
  co_return page;
}

}  // namespace frontdesk::objects::ledger
