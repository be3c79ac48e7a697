// The tenant's webhook endpoints (docs/fanout.md): where its events go, with the secret
// that signs them. The API checks URLs and event types before a message gets here.
#include <boost/json.hpp>

#include "../../encoding.hpp"
#include "../../fanout/signature.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::uint32_t id_bytes = 8;
constexpr std::uint32_t secret_bytes = 24;
// A rotated secret keeps signing this long beside the new one.
constexpr std::int64_t rotation_overlap_ms = 24LL * 3600 * 1000;

constexpr std::string_view endpoint_columns =
    "seq, id, url, events, description, enabled, disabled_reason, created_at, updated_at";

// The stored filter ",a,b," from a list of types, and back.
std::string filter_of(const json::array& events) {
  std::string filter;
  for (const auto& type : events) {
    if (!type.is_string()) continue;
    filter += ',';
    filter.append(type.get_string());
  }
  if (!filter.empty()) filter += ',';
  return filter;
}

json::array events_of(std::string_view filter) {
  json::array events;
  std::size_t at = 1;
  while (at < filter.size()) {
    const auto end = filter.find(',', at);
    if (end == std::string_view::npos) break;
    events.emplace_back(filter.substr(at, end - at));
    at = end + 1;
  }
  return events;
}

json::object endpoint_json(const std::vector<SqlValue>& row) {
  const auto reason = optional_text(row[6]);
  return {{"id", text_of(row[1])},
          {"url", text_of(row[2])},
          {"events", events_of(text_of(row[3]))},
          {"description", text_of(row[4])},
          {"enabled", int_of(row[5]) != 0},
          {"disabled_reason", reason ? json::value(*reason) : json::value(nullptr)},
          {"created_at", text_of(row[7])},
          {"updated_at", text_of(row[8])}};
}

SqlExec select_endpoint(const std::string& id) {
  return {"SELECT " + std::string(endpoint_columns) + " FROM endpoints WHERE id = ?", {id}};
}

struct NowAndRandom {
  std::int64_t now_ms = 0;
  std::string random;
};

// The time and `bytes` random bytes, asked for in one step.
Task<Result<NowAndRandom>> now_and_random(Fx& fx, std::uint32_t bytes) {
  auto [now, random] = co_await when_all(
      [](Fx& effects) -> Task<Result<std::int64_t>> { co_return co_await effects.now(); }(fx),
      [](Fx& effects, std::uint32_t count) -> Task<Result<std::string>> {
        co_return co_await effects.random(count);
      }(fx, bytes));
  if (!now) co_return now.error();
  if (!random) co_return random.error();
  if (random->size() < bytes) co_return make_error(ErrorCode::internal, "the host gave too few random bytes");
  co_return NowAndRandom{*now, std::move(*random)};
}

Error no_endpoint(const std::string& id) { return make_error(ErrorCode::not_found, "no endpoint " + id); }

const json::array* events_field(const json::object& message) {
  const auto* events = message.if_contains("events");
  return events && events->is_array() ? &events->get_array() : nullptr;
}

}  // namespace

// {"url","events":[…],"description","enabled"} → the endpoint with its secret.
Task<ObjectReply> endpoint_create(ObjectContext& context, const json::object& message) {
  auto& fx = context.fx;
  auto drawn = co_await now_and_random(fx, id_bytes + secret_bytes);
  if (!drawn) co_return drawn.error();
  const auto id = "ep_" + hex_encode(drawn->random.substr(0, id_bytes));
  const auto secret = fanout::secret_from(drawn->random.substr(id_bytes));
  const auto at = rfc3339_from_ms(drawn->now_ms);
  const auto* events = events_field(message);
  const auto* enabled = message.if_contains("enabled");
  const bool on = !enabled || !enabled->is_bool() || enabled->get_bool();
  std::vector<SqlValue> params{id, field_text(message, "url"), events ? filter_of(*events) : std::string{},
                               field_text(message, "description"), std::int64_t{on ? 1 : 0}, secret, at, at};
  auto inserted = co_await fx.sql(
      "INSERT INTO endpoints (id, url, events, description, enabled, secret, created_at, updated_at) "
      "VALUES (?,?,?,?,?,?,?,?) RETURNING " + std::string(endpoint_columns),
      std::move(params));
  if (!inserted) co_return inserted.error();
  if (inserted->rows.empty()) co_return make_error(ErrorCode::internal, "the endpoint was not stored");
  auto body = endpoint_json(inserted->rows[0]);
  body["secret"] = secret;
  co_return json::serialize(body);
}

// Newest first. → {"endpoints":[…], "has_more", "next"}
Task<ObjectReply> endpoint_list(ObjectContext& context, const json::object& message) {
  const auto [limit, before] = listing_of(message);
  std::vector<SqlValue> params{SqlValue{before}, SqlValue{limit + 1}};
  auto rows = co_await context.fx.sql(
      "SELECT " + std::string(endpoint_columns) + " FROM endpoints WHERE seq < ? ORDER BY seq DESC LIMIT ?",
      std::move(params));
  if (!rows) co_return rows.error();
  co_return json::serialize(page_reply("endpoints", rows->rows, limit, 0, [](const auto& row) { return endpoint_json(row); }));
}

Task<ObjectReply> endpoint_get(ObjectContext& context, const json::object& message) {
  const auto id = field_text(message, "id");
  auto rows = co_await context.fx.sql(select_endpoint(id).sql, select_endpoint(id).params);
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return no_endpoint(id);
  co_return json::serialize(endpoint_json(rows->rows[0]));
}

// {"id", and any of "url","events","description","enabled"} → the endpoint. Enabling it
// again forgets why it was disabled and how long it has been failing.
Task<ObjectReply> endpoint_update(ObjectContext& context, const json::object& message) {
  const auto id = field_text(message, "id");
  auto now = co_await context.fx.now();
  if (!now) co_return now.error();
  std::string sql = "UPDATE endpoints SET updated_at = ?";
  std::vector<SqlValue> params{SqlValue{rfc3339_from_ms(*now)}};
  for (const auto field : {"url", "description"}) {
    if (const auto* value = message.if_contains(field); value && value->is_string()) {
      sql += std::string(", ") + field + " = ?";
      params.emplace_back(std::string(value->get_string()));
    }
  }
  if (const auto* events = events_field(message)) {
    sql += ", events = ?";
    params.emplace_back(filter_of(*events));
  }
  if (const auto* enabled = message.if_contains("enabled"); enabled && enabled->is_bool()) {
    sql += enabled->get_bool() ? ", enabled = 1, disabled_reason = NULL, failing_since_ms = NULL" : ", enabled = 0";
  }
  sql += " WHERE id = ? RETURNING " + std::string(endpoint_columns);
  params.emplace_back(id);
  auto rows = co_await context.fx.sql(std::move(sql), std::move(params));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return no_endpoint(id);
  // Deliveries held back while it was disabled may go now.
  if (auto armed = co_await context.fx.alarm_set(*now); !armed) co_return armed.error();
  co_return json::serialize(endpoint_json(rows->rows[0]));
}

// The endpoint goes, with its deliveries and their attempts. → {"deleted": id}
Task<ObjectReply> endpoint_delete(ObjectContext& context, const json::object& message) {
  const auto id = field_text(message, "id");
  std::vector<SqlExec> statements{
      {"DELETE FROM endpoints WHERE id = ? RETURNING id", {id}},
      {"DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE endpoint_id = ?)", {id}},
      {"DELETE FROM deliveries WHERE endpoint_id = ?", {id}}};
  auto results = co_await sql_batch(context.fx, std::move(statements));
  if (auto failed = first_failure(results); !failed) co_return failed.error();
  if (results[0]->rows.empty()) co_return no_endpoint(id);
  co_return json::serialize(json::object{{"deleted", id}});
}

// → {"secret"}
Task<ObjectReply> endpoint_secret(ObjectContext& context, const json::object& message) {
  const auto id = field_text(message, "id");
  std::vector<SqlValue> params{SqlValue{id}};
  auto rows = co_await context.fx.sql("SELECT secret FROM endpoints WHERE id = ?", std::move(params));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return no_endpoint(id);
  co_return json::serialize(json::object{{"secret", text_of(rows->rows[0][0])}});
}

// A new secret; the old one keeps signing beside it for a day. → {"secret"}
Task<ObjectReply> endpoint_rotate(ObjectContext& context, const json::object& message) {
  auto& fx = context.fx;
  const auto id = field_text(message, "id");
  auto drawn = co_await now_and_random(fx, secret_bytes);
  if (!drawn) co_return drawn.error();
  const auto secret = fanout::secret_from(drawn->random);
  std::vector<SqlValue> params{SqlValue{secret}, SqlValue{drawn->now_ms + rotation_overlap_ms},
                               SqlValue{rfc3339_from_ms(drawn->now_ms)}, SqlValue{id}};
  auto rows = co_await fx.sql(
      "UPDATE endpoints SET previous_secret = secret, secret = ?, previous_until_ms = ?, updated_at = ? WHERE id = ? "
      "RETURNING id",
      std::move(params));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return no_endpoint(id);
  co_return json::serialize(json::object{{"secret", secret}});
}

// A frontdesk.test event for this endpoint alone. → {"id": the delivery, "event_type"}
Task<ObjectReply> endpoint_test(ObjectContext& context, const json::object& message) {
  auto& fx = context.fx;
  const auto id = field_text(message, "id");
  auto drawn = co_await now_and_random(fx, id_bytes);
  if (!drawn) co_return drawn.error();
  const auto now = drawn->now_ms;
  const auto& settings = context.app.settings().fanout;
  json::object data{{"endpoint", id}, {"message", "a test event from Frontdesk"}};
  std::vector<FanoutEvent> events{fanout_event(context.id, "frontdesk.test", hex_encode(drawn->random), std::move(data))};
  auto writes = fanout_writes(events, now, settings, id);
  auto results = co_await sql_batch(fx, std::move(writes.statements));
  if (auto failed = first_failure(results); !failed) co_return failed.error();
  const auto& queued = *results.at(writes.delivery_statements.at(0));
  if (queued.rows.empty()) co_return make_error(ErrorCode::not_found, "no enabled endpoint " + id);
  if (auto armed = co_await fx.alarm_set(now); !armed) co_return armed.error();
  co_return json::serialize(json::object{{"id", text_of(queued.rows[0][0])}, {"event_type", "frontdesk.test"}});
}

// {"id","since_ms","until_ms"}: every event of [since, until) the endpoint's filter takes,
// sent again with its original delivery id (a delivery made anew when the endpoint had none
// for it). Test events are never replayed. → {"replayed": n}
Task<ObjectReply> endpoint_replay(ObjectContext& context, const json::object& message) {
  auto& fx = context.fx;
  const auto id = field_text(message, "id");
  const auto since = field_int(message, "since_ms");
  const auto until = field_int(message, "until_ms");
  if (!since || !until) co_return make_error(ErrorCode::malformed_body, "a replay needs since_ms and until_ms");
  auto now = co_await fx.now();
  if (!now) co_return now.error();
  const auto at = rfc3339_from_ms(*now);
  std::vector<SqlExec> statements{
      {"SELECT id FROM endpoints WHERE id = ?", {id}},
      {"INSERT INTO deliveries (id, endpoint_id, event_id, event_type, status, attempts, next_at_ms, created_at, "
       "updated_at) SELECT 'msg_' || substr(f.id, 5) || substr(e.id, 4), e.id, f.id, f.type, 'pending', 0, ?, ?, ? "
       "FROM fanout_events f JOIN endpoints e ON e.id = ? WHERE f.created_ms >= ? AND f.created_ms < ? "
       "AND f.type <> 'frontdesk.test' AND (e.events = '' OR instr(e.events, ',' || f.type || ',') > 0) "
       "ORDER BY f.seq ON CONFLICT (id) DO UPDATE SET status = 'pending', next_at_ms = excluded.next_at_ms, "
       "leased_until_ms = 0, updated_at = excluded.updated_at RETURNING id",
       {*now, at, at, id, *since, *until}}};
  auto results = co_await sql_batch(fx, std::move(statements));
  if (auto failed = first_failure(results); !failed) co_return failed.error();
  if (results[0]->rows.empty()) co_return no_endpoint(id);
  const auto replayed = static_cast<std::int64_t>(results[1]->rows.size());
  if (replayed > 0) {
    if (auto armed = co_await fx.alarm_set(*now); !armed) co_return armed.error();
  }
  co_return json::serialize(json::object{{"replayed", replayed}});
}

}  // namespace frontdesk::objects::ledger
