#include "ledger.hpp"

#include <boost/json.hpp>

#include "../event.hpp"

namespace frontdesk::objects {
namespace json = boost::json;
namespace {

constexpr std::string_view events_schema =
    "CREATE TABLE IF NOT EXISTS events ("
    "seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, "
    "provider TEXT NOT NULL, provider_event_id TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL, "
    "tenant TEXT NOT NULL, occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, call_id TEXT NOT NULL, "
    "message_id TEXT NOT NULL, from_number TEXT NOT NULL, to_number TEXT NOT NULL, direction TEXT NOT NULL, "
    "text TEXT NOT NULL, stir_attestation TEXT NOT NULL, stir_verified TEXT NOT NULL, payload TEXT NOT NULL, "
    "UNIQUE (source, provider_event_id))";

constexpr std::string_view event_columns =
    "event_id, source, provider, provider_event_id, kind, type, tenant, occurred_at, received_at, call_id, "
    "message_id, from_number, to_number, direction, text, stir_attestation, stir_verified, payload";

std::vector<SqlValue> event_values(const Event& e) {
  return {e.event_id, e.source,      e.provider,  e.provider_event_id, e.kind,
          e.type,     e.tenant,      e.occurred_at, e.received_at,     e.call_id,
          e.message_id, e.from,      e.to,        e.direction,         e.text,
          e.stir_attestation, e.stir_verified, e.payload};
}

std::string text_of(const SqlValue& value) {
  const auto* text = std::get_if<std::string>(&value);
  return text ? *text : std::string{};
}

Event event_from_row(const std::vector<SqlValue>& row) {
  Event e;
  std::string* targets[] = {&e.event_id, &e.source, &e.provider, &e.provider_event_id, &e.kind, &e.type,
                            &e.tenant, &e.occurred_at, &e.received_at, &e.call_id, &e.message_id, &e.from,
                            &e.to, &e.direction, &e.text, &e.stir_attestation, &e.stir_verified, &e.payload};
  for (std::size_t i = 0; i < row.size() && i < std::size(targets); ++i) *targets[i] = text_of(row[i]);
  return e;
}

Task<ObjectReply> record_event(Fx& fx, const json::object& message) {
  const auto* event_json = message.if_contains("event");
  if (!event_json || !event_json->is_object()) co_return make_error(ErrorCode::malformed_body, "record_event needs an event");
  const Event event = event_from_json(event_json->get_object());
  if (event.event_id.empty() || event.source.empty() || event.provider_event_id.empty()) {
    co_return make_error(ErrorCode::malformed_body, "an event needs event_id, source and provider_event_id");
  }
  if (auto created = co_await fx.sql(std::string(events_schema)); !created) co_return created.error();
  auto values = event_values(event);
  auto inserted = co_await fx.sql("INSERT INTO events (" + std::string(event_columns) +
                                      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                                      "ON CONFLICT (source, provider_event_id) DO NOTHING",
                                  std::move(values));
  if (!inserted) co_return inserted.error();
  if (inserted->rows_written > 0) {
    co_return json::serialize(json::object{{"event_id", event.event_id}, {"duplicate", false}});
  }
  std::vector<SqlValue> key{event.source, event.provider_event_id};
  auto existing =
      co_await fx.sql("SELECT event_id FROM events WHERE source = ? AND provider_event_id = ?", std::move(key));
  if (!existing) co_return existing.error();
  if (existing->rows.empty() || existing->rows[0].empty()) {
    co_return make_error(ErrorCode::storage_unavailable, "the ledger neither stored nor found the event");
  }
  co_return json::serialize(json::object{{"event_id", text_of(existing->rows[0][0])}, {"duplicate", true}});
}

Task<ObjectReply> list_events(Fx& fx, const json::object& message) {
  if (auto created = co_await fx.sql(std::string(events_schema)); !created) co_return created.error();
  std::int64_t limit = 100;
  if (const auto* value = message.if_contains("limit"); value && value->is_int64()) {
    limit = std::clamp<std::int64_t>(value->get_int64(), 1, 1000);
  }
  std::string source;
  if (const auto* value = message.if_contains("source"); value && value->is_string()) source = value->get_string();
  std::vector<SqlValue> params;
  std::string sql = "SELECT " + std::string(event_columns) + " FROM events";
  if (!source.empty()) {
    sql += " WHERE source = ?";
    params.emplace_back(source);
  }
  sql += " ORDER BY seq DESC LIMIT ?";
  params.emplace_back(limit);
  auto rows = co_await fx.sql(std::move(sql), std::move(params));
  if (!rows) co_return rows.error();
  json::array events;
  for (const auto& row : rows->rows) events.push_back(event_to_json(event_from_row(row)));
  co_return json::serialize(json::object{{"events", std::move(events)}});
}

}  // namespace

Task<ObjectReply> ledger_call(ObjectContext& context, std::string_view message) {
  json::error_code ec;
  const auto parsed = json::parse(message, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* op = object ? object->if_contains("op") : nullptr;
  if (!op || !op->is_string()) co_return make_error(ErrorCode::malformed_body, "ledger messages need an op");
  if (op->get_string() == "record_event") co_return co_await record_event(context.fx, *object);
  if (op->get_string() == "list_events") co_return co_await list_events(context.fx, *object);
  co_return make_error(ErrorCode::malformed_body, "unknown ledger op");
}

}  // namespace frontdesk::objects
