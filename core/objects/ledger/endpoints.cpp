// The tenant's webhook endpoints (docs/fanout.md): where its events go, with the secret
// that signs them. The API checks URLs and event types before a message gets here.
#include <boost/json.hpp>

#include "../../clock_and_random.hpp"
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
std::string filter_of(const std::vector<std::string>& events) {
  std::string filter;
  for (const auto& type : events) filter.append(1, ',').append(type);
  if (!filter.empty()) filter += ',';
  return filter;
}

std::vector<std::string> events_of(std::string_view filter) {
  std::vector<std::string> events;
  std::size_t at = 1;
  while (at < filter.size()) {
    const auto end = filter.find(',', at);
    if (end == std::string_view::npos) break;
    events.emplace_back(filter.substr(at, end - at));
    at = end + 1;
  }
  return events;
}

// The endpoints table's one mapping, by column name.
protocol::Endpoint endpoint_at(const SqlRows& rows, std::size_t row) {
  return {text_of(cell(rows, "id", row)),
          text_of(cell(rows, "url", row)),
          events_of(text_of(cell(rows, "events", row))),
          text_of(cell(rows, "description", row)),
          int_of(cell(rows, "enabled", row)) != 0,
          optional_text(cell(rows, "disabled_reason", row)),
          text_of(cell(rows, "created_at", row)),
          text_of(cell(rows, "updated_at", row))};
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
  auto [now, random] = co_await when_all(clock_task(fx), random_task(fx, bytes));
  if (!now) co_return now.error();
  if (!random) co_return random.error();
  co_return NowAndRandom{*now, std::move(*random)};
}

Error no_endpoint(const std::string& id) { return make_error(ErrorCode::not_found, "no endpoint " + id); }

}  // namespace

Task<Result<protocol::EndpointCreate::Reply>> endpoint_create(ObjectContext& context,
                                                              const protocol::EndpointCreate::Request& request) {
  auto& fx = context.fx;
  FRONTDESK_CO_TRY(const auto drawn, co_await now_and_random(fx, id_bytes + secret_bytes));
  const auto id = "ep_" + hex_encode(drawn.random.substr(0, id_bytes));
  auto secret = fanout::secret_from(drawn.random.substr(id_bytes));
  const auto at = rfc3339_from_ms(drawn.now_ms);
  const bool on = request.enabled.value_or(true);
  std::vector<SqlValue> params{id,          request.url, filter_of(request.events), request.description.value_or(""),
                               std::int64_t{on ? 1 : 0}, secret, at, at};
  FRONTDESK_CO_TRY(const auto inserted,
                   co_await fx.sql("INSERT INTO endpoints (id, url, events, description, enabled, secret, created_at, "
                                   "updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING " + std::string(endpoint_columns),
                                   std::move(params)));
  if (inserted.rows.empty()) co_return make_error(ErrorCode::internal, "the endpoint was not stored");
  co_return protocol::EndpointCreate::Reply{endpoint_at(inserted, 0), std::move(secret)};
}

// Newest first.
Task<Result<protocol::EndpointList::Reply>> endpoint_list(ObjectContext& context,
                                                          const protocol::EndpointList::Request& request) {
  const auto [limit, before] = listing_of(request);
  std::vector<SqlValue> params{SqlValue{before}, SqlValue{limit + 1}};
  FRONTDESK_CO_TRY(auto rows, co_await context.fx.sql("SELECT " + std::string(endpoint_columns) +
                                                           " FROM endpoints WHERE seq < ? ORDER BY seq DESC LIMIT ?",
                                                       std::move(params)));
  co_return page_of(&protocol::EndpointPage::endpoints, rows, limit, endpoint_at);
}

Task<Result<protocol::EndpointGet::Reply>> endpoint_get(ObjectContext& context, const protocol::EndpointGet::Request& request) {
  auto select = select_endpoint(request.id);
  FRONTDESK_CO_TRY(const auto rows, co_await context.fx.sql(std::move(select.sql), std::move(select.params)));
  if (rows.rows.empty()) co_return no_endpoint(request.id);
  co_return endpoint_at(rows, 0);
}

Task<Result<protocol::EndpointUpdate::Reply>> endpoint_update(ObjectContext& context,
                                                              const protocol::EndpointUpdate::Request& request) {
  FRONTDESK_CO_TRY(const auto now, co_await context.fx.now());
  std::string sql = "UPDATE endpoints SET updated_at = ?";
  std::vector<SqlValue> params{SqlValue{rfc3339_from_ms(now)}};
  if (request.url) {
    sql += ", url = ?";
    params.emplace_back(*request.url);
  }
  if (request.description) {
    sql += ", description = ?";
    params.emplace_back(*request.description);
  }
  if (request.events) {
    sql += ", events = ?";
    params.emplace_back(filter_of(*request.events));
  }
  if (request.enabled) {
    sql += *request.enabled ? ", enabled = 1, disabled_reason = NULL, failing_since_ms = NULL" : ", enabled = 0";
  }
  sql += " WHERE id = ? RETURNING " + std::string(endpoint_columns);
  params.emplace_back(request.id);
  FRONTDESK_CO_TRY(const auto rows, co_await context.fx.sql(std::move(sql), std::move(params)));
  if (rows.rows.empty()) co_return no_endpoint(request.id);
  // Deliveries held back while it was disabled may go now.
  FRONTDESK_CO_CHECK(co_await context.fx.alarm_set(now));
  co_return endpoint_at(rows, 0);
}

Task<Result<protocol::EndpointDelete::Reply>> endpoint_delete(ObjectContext& context,
                                                              const protocol::EndpointDelete::Request& request) {
  const auto& id = request.id;
  std::vector<SqlExec> statements{
      {"DELETE FROM endpoints WHERE id = ? RETURNING id", {id}},
      {"DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE endpoint_id = ?)", {id}},
      {"DELETE FROM deliveries WHERE endpoint_id = ?", {id}}};
  auto results = co_await sql_batch(context.fx, std::move(statements));
  FRONTDESK_CO_CHECK(first_failure(results));
  if (results[0]->rows.empty()) co_return no_endpoint(id);
  co_return protocol::EndpointDelete::Reply{id};
}

Task<Result<protocol::EndpointSecretGet::Reply>> endpoint_secret(ObjectContext& context,
                                                                 const protocol::EndpointSecretGet::Request& request) {
  std::vector<SqlValue> params{SqlValue{request.id}};
  FRONTDESK_CO_TRY(const auto rows,
                   co_await context.fx.sql("SELECT secret FROM endpoints WHERE id = ?", std::move(params)));
  if (rows.rows.empty()) co_return no_endpoint(request.id);
  co_return protocol::EndpointSecret{text_of(cell(rows, "secret"))};
}

Task<Result<protocol::EndpointRotate::Reply>> endpoint_rotate(ObjectContext& context,
                                                              const protocol::EndpointRotate::Request& request) {
  auto& fx = context.fx;
  FRONTDESK_CO_TRY(const auto drawn, co_await now_and_random(fx, secret_bytes));
  auto secret = fanout::secret_from(drawn.random);
  std::vector<SqlValue> params{SqlValue{secret}, SqlValue{drawn.now_ms + rotation_overlap_ms},
                               SqlValue{rfc3339_from_ms(drawn.now_ms)}, SqlValue{request.id}};
  FRONTDESK_CO_TRY(const auto rows,
                   co_await fx.sql("UPDATE endpoints SET previous_secret = secret, secret = ?, previous_until_ms = ?, "
                                   "updated_at = ? WHERE id = ? RETURNING id",
                                   std::move(params)));
  if (rows.rows.empty()) co_return no_endpoint(request.id);
  co_return protocol::EndpointSecret{std::move(secret)};
}

Task<Result<protocol::EndpointTest::Reply>> endpoint_test(ObjectContext& context,
                                                          const protocol::EndpointTest::Request& request) {
  auto& fx = context.fx;
  const auto& id = request.id;
  FRONTDESK_CO_TRY(const auto drawn, co_await now_and_random(fx, id_bytes));
  const auto now = drawn.now_ms;
  const auto& settings = context.app.settings().fanout;
  json::object data{{"endpoint", id}, {"message", "a test event from Frontdesk"}};
  std::vector<FanoutEvent> events{fanout_event(context.id, "frontdesk.test", hex_encode(drawn.random), std::move(data))};
  auto writes = fanout_writes(events, now, settings, id);
  auto results = co_await sql_batch(fx, std::move(writes.statements));
  FRONTDESK_CO_CHECK(first_failure(results));
  const auto& queued = *results.at(writes.delivery_statements.at(0));
  if (queued.rows.empty()) co_return make_error(ErrorCode::not_found, "no enabled endpoint " + id);
  FRONTDESK_CO_CHECK(co_await fx.alarm_set(now));
  co_return protocol::EndpointTest::Reply{text_of(cell(queued, "id")), "frontdesk.test"};
}

Task<Result<protocol::EndpointReplay::Reply>> endpoint_replay(ObjectContext& context,
                                                              const protocol::EndpointReplay::Request& request) {
  auto& fx = context.fx;
  const auto& id = request.id;
  FRONTDESK_CO_TRY(const auto now, co_await fx.now());
  const auto at = rfc3339_from_ms(now);
  std::vector<SqlExec> statements{
      {"SELECT id FROM endpoints WHERE id = ?", {id}},
      {"INSERT INTO deliveries (id, endpoint_id, event_id, event_type, status, attempts, next_at_ms, created_at, "
       "updated_at) SELECT 'msg_' || substr(f.id, 5) || substr(e.id, 4), e.id, f.id, f.type, 'pending', 0, ?, ?, ? "
       "FROM fanout_events f JOIN endpoints e ON e.id = ? WHERE f.created_ms >= ? AND f.created_ms < ? "
       "AND f.type <> 'frontdesk.test' AND (e.events = '' OR instr(e.events, ',' || f.type || ',') > 0) "
       "ORDER BY f.seq ON CONFLICT (id) DO UPDATE SET status = 'pending', next_at_ms = excluded.next_at_ms, "
       "leased_until_ms = 0, updated_at = excluded.updated_at RETURNING id",
       {now, at, at, id, request.since_ms, request.until_ms}}};
  auto results = co_await sql_batch(fx, std::move(statements));
  FRONTDESK_CO_CHECK(first_failure(results));
  if (results[0]->rows.empty()) co_return no_endpoint(id);
  const auto replayed = static_cast<std::int64_t>(results[1]->rows.size());
  if (replayed > 0) {
    FRONTDESK_CO_CHECK(co_await fx.alarm_set(now));
  }
  co_return protocol::EndpointReplay::Reply{replayed};
}

}  // namespace frontdesk::objects::ledger
