// Fan-out inside the ledger (docs/fanout.md): the events a committed record makes, one
// delivery per event and matching endpoint, written in the same transaction as the record;
// leased to the alarm session, which signs and sends them (sender.cpp); settled on the
// schedule of `fanout.schedule_s`; listed and retried through the API.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "../../fanout/catalog.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

// Deliveries handed out per lease: the sender sends them all at once.
constexpr std::int64_t lease_batch = 20;
// Longer than any fetch may wait, as for provider commands.
constexpr std::int64_t lease_ms = 30000;
constexpr std::size_t kept_error_bytes = 200;

std::int64_t delay_ms(const FanoutSettings& settings, std::size_t attempt) {
  return settings.schedule_s.at(std::min(attempt, settings.schedule_s.size() - 1)) * 1000;
}

// One delivery per enabled endpoint whose filter takes the type. The id is the event's and
// the endpoint's: the same on every retry and on a replay. `only`: one endpoint (a test).
SqlExec deliveries_of(const FanoutEvent& event, std::int64_t due_ms, const std::string& at, const std::string& only) {
  SqlExec statement{
      "INSERT INTO deliveries (id, endpoint_id, event_id, event_type, status, attempts, next_at_ms, created_at, "
      "updated_at) SELECT 'msg_' || substr(?, 5) || substr(e.id, 4), e.id, ?, ?, 'pending', 0, ?, ?, ? "
      "FROM endpoints e WHERE e.enabled = 1 AND (e.events = '' OR instr(e.events, ?) > 0)",
      {event.id, event.id, event.type, due_ms, at, at, "," + event.type + ","}};
  if (!only.empty()) {
    statement.sql += " AND e.id = ?";
    statement.params.emplace_back(only);
  }
  statement.sql += " ORDER BY e.seq ON CONFLICT (id) DO NOTHING RETURNING id";
  return statement;
}

// When the alarm must run for what the writes queued (their results from `offset`), if anything.
std::optional<std::int64_t> fanout_alarm(const FanoutWrites& writes, const std::vector<Result<SqlRows>>& results,
                                         std::size_t offset, std::int64_t now_ms, const FanoutSettings& settings) {
  for (const auto index : writes.delivery_statements) {
    const auto& rows = results.at(offset + index);
    if (rows && !rows->rows.empty()) return now_ms + delay_ms(settings, 0);
  }
  return std::nullopt;
}

}  // namespace

FanoutEvent fanout_event(std::string_view tenant, std::string type, std::string_view subject, json::object data) {
  return FanoutEvent{fanout::event_id_for(tenant, type, subject), std::move(type), std::move(data)};
}

FanoutWrites fanout_writes(const std::vector<FanoutEvent>& events, std::int64_t now_ms, const FanoutSettings& settings,
                           const std::string& only_endpoint) {
  FanoutWrites writes;
  const auto at = rfc3339_from_ms(now_ms);
  for (const auto& event : events) {
    const auto body =
        json::serialize(json::object{{"type", event.type}, {"timestamp", at}, {"data", event.data}});
    // Kept only while the tenant has an endpoint (docs/fanout.md, "Replay").
    writes.statements.push_back({"INSERT INTO fanout_events (id, type, body, created_ms) SELECT ?, ?, ?, ? "
                                 "WHERE EXISTS (SELECT 1 FROM endpoints) ON CONFLICT (id) DO NOTHING",
                                 {event.id, event.type, body, now_ms}});
    writes.delivery_statements.push_back(writes.statements.size());
    writes.statements.push_back(deliveries_of(event, now_ms + delay_ms(settings, 0), at, only_endpoint));
    writes.live.push_back({event.type, body});
  }
  return writes;
}


Task<Result<void>> write_changes(ObjectContext& context, std::vector<SqlExec> changes,
                                 std::optional<std::int64_t> alarm_at, const std::vector<FanoutEvent>& events,
                                 std::int64_t now_ms) {
  auto& fx = context.fx;
  const auto& settings = context.app.settings().fanout;
  const auto offset = changes.size();
  auto fanout = fanout_writes(events, now_ms, settings);
  for (auto& statement : fanout.statements) changes.push_back(std::move(statement));
  auto [written, armed] = co_await when_all(sql_batch(fx, std::move(changes)),
                                            [](Fx& effects, std::optional<std::int64_t> at) -> Task<Result<Nothing>> {
                                              if (!at) co_return Nothing{};
                                              co_return co_await effects.alarm_set(*at);
                                            }(fx, alarm_at));
  FRONTDESK_CO_CHECK(first_failure(written));
  if (!armed) co_return armed.error();
  const auto due = fanout_alarm(fanout, written, offset, now_ms, settings);
  if (due && (!alarm_at || *alarm_at > *due)) {
    FRONTDESK_CO_CHECK(co_await fx.alarm_set(*due));
  }
  co_return co_await publish_live(context, std::move(fanout.live));
}

Task<Result<void>> fan_out(ObjectContext& context, const std::vector<FanoutEvent>& events, std::int64_t now_ms) {
  const auto& settings = context.app.settings().fanout;
  auto fanout = fanout_writes(events, now_ms, settings);
  auto written = co_await sql_batch(context.fx, std::move(fanout.statements));
  FRONTDESK_CO_CHECK(first_failure(written));
  if (const auto due = fanout_alarm(fanout, written, 0, now_ms, settings)) {
    FRONTDESK_CO_CHECK(co_await context.fx.alarm_set(*due));
  }
  co_return co_await publish_live(context, std::move(fanout.live));
}

Task<Result<void>> publish_live(ObjectContext& context, std::vector<LiveMessage> messages) {
  if (!context.listening || messages.empty()) co_return Unit{};
  FRONTDESK_CO_CHECK(co_await context.fx.live_publish(std::move(messages)));
  co_return Unit{};
}

std::vector<SqlExec> retention_prunes(std::int64_t now_ms, const FanoutSettings& settings) {
  constexpr std::int64_t batch = 500;
  const std::int64_t cutoff_ms = now_ms - settings.retention_days * 86'400'000;
  const auto cutoff_at = rfc3339_from_ms(cutoff_ms);
  const std::string finished =
      "SELECT seq FROM deliveries WHERE status IN ('delivered', 'dead') AND updated_at < ? ORDER BY seq LIMIT ?";
  std::vector<SqlExec> prunes;
  prunes.push_back({"DELETE FROM fanout_events WHERE seq IN "
                    "(SELECT seq FROM fanout_events WHERE created_ms < ? ORDER BY created_ms LIMIT ?)",
                    {cutoff_ms, batch}});
  prunes.push_back({"DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE seq IN (" +
                        finished + "))",
                    {cutoff_at, batch}});
  prunes.push_back({"DELETE FROM deliveries WHERE seq IN (" + finished + ")", {cutoff_at, batch}});
  return prunes;
}

SqlExec next_delivery_due() {
  return {"SELECT at FROM (SELECT d.next_at_ms AS at FROM deliveries d "
          "JOIN endpoints e ON e.id = d.endpoint_id AND e.enabled = 1 "
          "WHERE d.status = 'pending' AND d.leased_until_ms = 0 ORDER BY d.next_at_ms LIMIT 1) "
          "UNION ALL SELECT MIN(MAX(d.next_at_ms, d.leased_until_ms)) FROM deliveries d INDEXED BY deliveries_leased "
          "JOIN endpoints e ON e.id = d.endpoint_id AND e.enabled = 1 WHERE d.status = 'pending' AND d.leased_until_ms > 0",
          {}};
}

SqlExec due_deliveries(std::int64_t now_ms) {
  return {"SELECT d.seq AS seq, d.id AS id, e.url AS url, e.secret AS secret, e.previous_secret AS previous_secret, "
          "e.previous_until_ms AS previous_until_ms, f.body AS body FROM deliveries d "
          "JOIN endpoints e ON e.id = d.endpoint_id AND e.enabled = 1 JOIN fanout_events f ON f.id = d.event_id "
          "WHERE d.status = 'pending' AND d.next_at_ms <= ? AND d.leased_until_ms <= ? ORDER BY d.next_at_ms, d.seq LIMIT ?",
          {now_ms, now_ms, lease_batch}};
}

std::vector<protocol::LeasedDelivery> leased_deliveries(const SqlRows& due, std::int64_t now_ms,
                                                        std::vector<SqlExec>& statements) {
  std::vector<protocol::LeasedDelivery> deliveries;
  for (std::size_t row = 0; row < due.rows.size(); ++row) {
    std::vector<std::string> secrets{text_of(cell(due, "secret", row))};
    const auto previous = optional_text(cell(due, "previous_secret", row));
    if (previous && int_of(cell(due, "previous_until_ms", row)) > now_ms) secrets.push_back(*previous);
    deliveries.push_back({text_of(cell(due, "id", row)), text_of(cell(due, "url", row)), std::move(secrets),
                          text_of(cell(due, "body", row))});
  }
  if (!due.rows.empty()) {
    SqlExec lease{"UPDATE deliveries SET leased_until_ms = ? WHERE seq IN (" + placeholders(due.rows.size()) + ")",
                  {now_ms + lease_ms}};
    for (std::size_t row = 0; row < due.rows.size(); ++row) lease.params.emplace_back(int_of(cell(due, "seq", row)));
    statements.push_back(std::move(lease));
  }
  return deliveries;
}

std::vector<DeliveryAttempt> delivery_attempts_in(const std::vector<protocol::DeliveryResult>& results) {
  std::vector<DeliveryAttempt> attempts;
  for (const auto& result : results) {
    if (result.id.empty()) continue;
    attempts.push_back({result.id, result.status, result.error.substr(0, kept_error_bytes), result.duration_ms});
  }
  return attempts;
}

SqlExec leased_states(const std::vector<DeliveryAttempt>& attempts) {
  SqlExec read{"SELECT seq, id, attempts, endpoint_id FROM deliveries WHERE status = 'pending' AND leased_until_ms > 0 "
               "AND id IN (" + placeholders(attempts.size()) + ")",
               {}};
  for (const auto& attempt : attempts) read.params.emplace_back(attempt.id);
  return read;
}

SettledDeliveries settle_deliveries(const std::vector<DeliveryAttempt>& attempts, const SqlRows& states,
                                    std::int64_t now_ms, const FanoutSettings& settings) {
  struct State {
    std::int64_t seq = 0;
    std::int64_t attempts = 0;
    std::string endpoint;
  };
  std::map<std::string, State> leased;  // not here: its lease ran out, it may be out again
  for (std::size_t i = 0; i < states.rows.size(); ++i) {
    leased[text_of(cell(states, "id", i))] = {int_of(cell(states, "seq", i)), int_of(cell(states, "attempts", i)),
                                              text_of(cell(states, "endpoint_id", i))};
  }
  const auto at = rfc3339_from_ms(now_ms);
  SettledDeliveries out;
  std::vector<SqlValue> logged;  // the attempts' rows, 5 values each
  std::vector<SqlValue> delivered_seqs;
  std::set<std::string> answered_endpoints;
  for (const auto& attempt : attempts) {
    const auto found = leased.find(attempt.id);
    if (found == leased.end()) continue;
    const auto& state = found->second;
    ++out.settled;
    const bool delivered = attempt.status && *attempt.status >= 200 && *attempt.status < 300;
    std::string error = attempt.error;
    if (!delivered && error.empty()) error = attempt.status ? "HTTP " + std::to_string(*attempt.status) : "no answer";
    for (SqlValue value : {SqlValue{attempt.id}, SqlValue{at}, attempt.status ? SqlValue{*attempt.status} : SqlValue{},
                           SqlValue{attempt.duration_ms}, delivered ? SqlValue{} : SqlValue{error}}) {
      logged.push_back(std::move(value));
    }
    if (delivered) {
      delivered_seqs.emplace_back(state.seq);
      answered_endpoints.insert(state.endpoint);
      continue;
    }
    const auto count = state.attempts + 1;
    const bool more = static_cast<std::size_t>(count) < settings.schedule_s.size();
    const auto next_at = more ? now_ms + delay_ms(settings, static_cast<std::size_t>(count)) : now_ms;
    out.statements.push_back({"UPDATE deliveries SET status = ?, attempts = ?, next_at_ms = ?, leased_until_ms = 0, "
                              "updated_at = ? WHERE seq = ?",
                              {std::string(more ? "pending" : "dead"), count, next_at, at, state.seq}});
    // Failing since the first failure after a success; disabled once that has lasted.
    out.statements.push_back({"UPDATE endpoints SET failing_since_ms = COALESCE(failing_since_ms, ?) WHERE id = ?",
                              {now_ms, state.endpoint}});
    out.statements.push_back({"UPDATE endpoints SET enabled = 0, disabled_reason = 'failing', updated_at = ? "
                              "WHERE id = ? AND enabled = 1 AND failing_since_ms <= ?",
                              {at, state.endpoint, now_ms - settings.disable_after_s * 1000}});
  }
  // The log's rows in statements of at most 95 values (Durable Objects bind 100 at most).
  constexpr std::size_t row_values = 5;
  constexpr std::size_t rows_per_statement = 19;
  for (std::size_t first = 0; first < logged.size(); first += row_values * rows_per_statement) {
    const auto end = std::min(logged.size(), first + row_values * rows_per_statement);
    SqlExec insert{"INSERT INTO delivery_attempts (delivery_id, at, status_code, duration_ms, error) VALUES ", {}};
    for (auto i = first; i < end; i += row_values) insert.sql += i == first ? "(?,?,?,?,?)" : ",(?,?,?,?,?)";
    insert.params.assign(logged.begin() + static_cast<std::ptrdiff_t>(first), logged.begin() + static_cast<std::ptrdiff_t>(end));
    out.statements.push_back(std::move(insert));
  }
  if (!delivered_seqs.empty()) {
    SqlExec update{"UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, leased_until_ms = 0, "
                   "updated_at = ? WHERE seq IN (" + placeholders(delivered_seqs.size()) + ")",
                   {at}};
    for (auto& seq : delivered_seqs) update.params.push_back(std::move(seq));
    out.statements.push_back(std::move(update));
    SqlExec recovered{"UPDATE endpoints SET failing_since_ms = NULL WHERE failing_since_ms IS NOT NULL AND id IN (" +
                          placeholders(answered_endpoints.size()) + ")",
                      {}};
    for (const auto& endpoint : answered_endpoints) recovered.params.emplace_back(endpoint);
    out.statements.push_back(std::move(recovered));
  }
  return out;
}

Task<Result<protocol::DeliveryList::Reply>> list_deliveries(ObjectContext& context,
                                                            const protocol::DeliveryList::Request& request) {
  const auto [limit, before] = listing_of(protocol::PageRequest{request.limit, request.before_seq});
  // The page's deliveries, as a subquery the attempts are read through too: a page's ids
  // bound one by one would pass Durable Objects' 100 parameters a statement.
  Filtered page{"SELECT seq, id, endpoint_id, event_type, status, next_at_ms, created_at FROM deliveries WHERE seq < ?",
                {SqlValue{before}}};
  page.where(" AND endpoint_id = ?", request.endpoint);
  if (request.status) page.where(" AND status = ?", std::string(protocol::name_of(*request.status)));
  page.where(" AND event_type = ?", request.event_type);
  page.where(" AND id = ?", request.id);
  page.sql += " ORDER BY seq DESC LIMIT ?";
  page.params.emplace_back(limit + 1);
  std::vector<SqlExec> reads{
      {page.sql, page.params},
      {"SELECT a.delivery_id, a.at, a.status_code, a.duration_ms, a.error FROM delivery_attempts a "
       "WHERE a.delivery_id IN (SELECT id FROM (" + page.sql + ")) ORDER BY a.seq",
       page.params}};
  auto results = co_await sql_batch(context.fx, std::move(reads));
  FRONTDESK_CO_CHECK(first_failure(results));
  const auto& attempt_rows = *results[1];
  std::map<std::string, std::vector<protocol::DeliveryAttempt>> attempts;
  for (std::size_t i = 0; i < attempt_rows.rows.size(); ++i) {
    attempts[text_of(cell(attempt_rows, "delivery_id", i))].push_back(
        {text_of(cell(attempt_rows, "at", i)), optional_int(cell(attempt_rows, "status_code", i)),
         int_of(cell(attempt_rows, "duration_ms", i)), optional_text(cell(attempt_rows, "error", i))});
  }
  co_return page_of(&protocol::DeliveryPage::deliveries, *results[0], limit, [&](const SqlRows& rows, std::size_t i) {
    const auto id = text_of(cell(rows, "id", i));
    const auto status = send_status_of(cell(rows, "status", i));
    std::optional<std::string> next_at;
    if (status == protocol::SendStatus::pending) next_at = rfc3339_from_ms(int_of(cell(rows, "next_at_ms", i)));
    return protocol::Delivery{id,
                              text_of(cell(rows, "endpoint_id", i)),
                              text_of(cell(rows, "event_type", i)),
                              status,
                              std::move(attempts[id]),
                              std::move(next_at),
                              text_of(cell(rows, "created_at", i))};
  });
}

Task<Result<protocol::DeliveryRetry::Reply>> delivery_retry(ObjectContext& context,
                                                            const protocol::DeliveryRetry::Request& request) {
  FRONTDESK_CO_TRY(const auto now, co_await context.fx.now());
  std::vector<SqlValue> params{SqlValue{now}, SqlValue{rfc3339_from_ms(now)}, SqlValue{request.id}};
  FRONTDESK_CO_TRY(const auto updated,
                   co_await context.fx.sql("UPDATE deliveries SET status = 'pending', next_at_ms = ?, "
                                           "leased_until_ms = 0, updated_at = ? WHERE id = ? RETURNING id",
                                           std::move(params)));
  if (updated.rows.empty()) co_return make_error(ErrorCode::not_found, "no delivery " + request.id);
  FRONTDESK_CO_CHECK(co_await context.fx.alarm_set(now));
  protocol::DeliveryList::Request listing;
  listing.id = request.id;
  listing.limit = 1;
  FRONTDESK_CO_TRY(auto page, co_await list_deliveries(context, listing));
  if (page.deliveries.empty()) co_return make_error(ErrorCode::not_found, "no delivery " + request.id);
  co_return std::move(page.deliveries.front());
}

}  // namespace frontdesk::objects::ledger
