// The outbound queue inside the ledger: provider commands and replies, handed out in order
// per lane (lease), judged when their answers come back (settle): retried with exponential
// backoff, kept as dead letters when they cannot go. Sending itself happens outside the
// ledger's turn (sender.cpp). The API key is looked up when sending: the queue never holds it.
#include <algorithm>
#include <boost/json.hpp>
#include <limits>

#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

// Commands handed out per lease: the sender sends them all at once.
constexpr std::int64_t lease_batch = 10;
// A leased command not settled by then (the sender died, the host restarted) is leased
// again: longer than any fetch may wait (10 s on every host).
constexpr std::int64_t lease_ms = 30000;
constexpr std::size_t kept_error_bytes = 200;

constexpr std::string_view outbound_columns =
    "seq, command_id, lane, provider, action, method, url, body, auth, status, attempts, next_at_ms, last_status, "
    "last_error, created_at, updated_at";

// Whether a pending command is the first of its lane (commands of a lane go in order).
constexpr std::string_view lane_head =
    "o.seq = (SELECT MIN(seq) FROM outbound WHERE lane = o.lane AND status = 'pending')";

std::optional<std::int64_t> next_due_in(const SqlRows& rows) {
  const auto& at = cell(rows, "next_at_ms");
  if (!std::holds_alternative<std::int64_t>(at)) return std::nullopt;
  return int_of(at);
}

// The outbound table's one mapping, by column name.
protocol::OutboundCommand outbound_at(const SqlRows& rows, std::size_t row) {
  const auto id = text_of(cell(rows, "command_id", row));
  return {id,
          id,
          text_of(cell(rows, "lane", row)),
          text_of(cell(rows, "provider", row)),
          text_of(cell(rows, "action", row)),
          text_of(cell(rows, "method", row)),
          text_of(cell(rows, "url", row)),
          text_of(cell(rows, "body", row)),
          send_status_of(cell(rows, "status", row)),
          int_of(cell(rows, "attempts", row)),
          int_of(cell(rows, "next_at_ms", row)),
          optional_int(cell(rows, "last_status", row)),
          optional_text(cell(rows, "last_error", row)),
          text_of(cell(rows, "created_at", row)),
          text_of(cell(rows, "updated_at", row))};
}

bool retryable(int status) { return status >= 500 || status == 408 || status == 429; }

std::int64_t backoff_ms(const OutboundSettings& settings, std::int64_t attempts) {
  std::int64_t delay = settings.base_delay_ms;
  for (std::int64_t i = 1; i < attempts && delay < settings.max_delay_ms; ++i) delay *= 2;
  return std::min(delay, settings.max_delay_ms);
}

struct Outcome {
  std::string status;  // pending | delivered | dead
  std::int64_t next_at_ms = 0;
  SqlValue last_status;
  SqlValue last_error;
};

// What the sender reported for one leased command (the settle message's results).
// The sender's report, its error cut to what is kept.
protocol::CommandResult attempt_in(protocol::CommandResult result) {
  result.error = result.error.substr(0, kept_error_bytes);
  return result;
}

Outcome judge(const protocol::CommandResult& attempt, std::int64_t attempts, std::int64_t now_ms, const OutboundSettings& settings) {
  Outcome outcome;
  if (attempt.status) outcome.last_status = *attempt.status;
  if (attempt.status && *attempt.status >= 200 && *attempt.status < 300) {
    outcome.status = "delivered";
    return outcome;
  }
  outcome.last_error = attempt.error.empty() ? "no answer" : attempt.error;
  const bool retry = attempt.sent && (!attempt.status || retryable(static_cast<int>(*attempt.status)));
  if (!retry || attempts >= settings.max_attempts) {
    outcome.status = "dead";
    return outcome;
  }
  outcome.status = "pending";
  outcome.next_at_ms = now_ms + backoff_ms(settings, attempts);
  // Retry-After is honoured up to max_delay_ms (docs/reception.md).
  if (attempt.retry_after_ms) {
    outcome.next_at_ms = std::max(outcome.next_at_ms, now_ms + std::min(*attempt.retry_after_ms, settings.max_delay_ms));
  }
  return outcome;
}

// A provider command that became a dead letter, for the endpoints.
FanoutEvent dead_letter(std::string_view tenant, const std::string& command_id, const SqlRows& state,
                        const Outcome& outcome, std::int64_t attempts) {
  const auto message_key = text_of(cell(state, "message_key"));
  json::object data{{"command_id", command_id},
                    {"provider", text_of(cell(state, "provider"))},
                    {"action", text_of(cell(state, "action"))},
                    {"attempts", attempts},
                    {"last_status", std::holds_alternative<std::int64_t>(outcome.last_status)
                                        ? json::value(int_of(outcome.last_status))
                                        : json::value(nullptr)},
                    {"last_error", std::holds_alternative<std::string>(outcome.last_error)
                                       ? json::value(text_of(outcome.last_error))
                                       : json::value(nullptr)},
                    {"message_key", message_key.empty() ? json::value(nullptr) : json::value(message_key)}};
  return fanout_event(tenant, "outbound.dead", command_id, std::move(data));
}

SqlExec settle_statement(std::int64_t seq, const Outcome& outcome, std::int64_t attempts, std::int64_t now_ms) {
  return {"UPDATE outbound SET status = ?, attempts = ?, next_at_ms = ?, last_status = ?, last_error = ?, "
          "leased_until_ms = 0, updated_at = ? WHERE seq = ?",
          {outcome.status, attempts, outcome.next_at_ms, outcome.last_status, outcome.last_error,
           rfc3339_from_ms(now_ms), seq}};
}

Task<Result<void>> arm_next(Fx& fx, const SqlRows& next) {
  if (const auto at = next_due_in(next)) {
    FRONTDESK_CO_CHECK(co_await fx.alarm_set(*at));
  }
  co_return Unit{};
}

}  // namespace

// When the alarm must run next: the earliest time a lane's first command can go (its retry
// time, or the end of its lease). A command behind its lane's first one is not due,
// whatever its own time. Each part reads a few index entries, however many commands wait:
// the unleased in retry-time order up to the first lane head, and the leased (a batch or
// two) by their own partial index. Fan-out deliveries go on the same alarm.
SqlExec next_due() {
  return {"SELECT MIN(at) AS next_at_ms FROM ("
          "SELECT at FROM (SELECT o.next_at_ms AS at FROM outbound o INDEXED BY outbound_pending_due "
          "WHERE o.status = 'pending' "
          "AND o.leased_until_ms = 0 AND " + std::string(lane_head) + " ORDER BY o.next_at_ms LIMIT 1) "
          "UNION ALL SELECT MIN(MAX(o.next_at_ms, o.leased_until_ms)) FROM outbound o INDEXED BY outbound_leased "
          "WHERE o.status = 'pending' AND o.leased_until_ms > 0 AND " + std::string(lane_head) +
              " UNION ALL " + next_delivery_due().sql + ")",
          {}};
}

// Only a command still leased is settled: one whose lease ran out may be out again. Found by
// command id: the plus signs keep SQLite from choosing the status index instead, which read
// every waiting command (most of a settle's time under load).
SqlExec leased_commands(const std::vector<std::string>& command_ids) {
  SqlExec states{"SELECT command_id AS command_id, seq AS seq, attempts AS attempts, message_key AS message_key, "
                 "provider AS provider, action AS action FROM outbound WHERE command_id IN (" +
                     placeholders(command_ids.size()) + ") AND +status = 'pending' AND +leased_until_ms > 0",
                 {}};
  for (const auto& id : command_ids) states.params.emplace_back(id);
  return states;
}

// The lane heads that may go now, in retry-time order as the index keeps them: the scan
// stops at the batch's last.
SqlExec due_commands(std::int64_t now_ms) {
  return {"SELECT o.seq AS seq, o.command_id AS command_id, o.provider AS provider, o.method AS method, o.url AS url, "
          "o.body AS body, o.auth AS auth, o.content_type AS content_type FROM outbound o INDEXED BY outbound_pending_due "
          "WHERE o.status = 'pending' "
          "AND " + std::string(lane_head) + " AND o.next_at_ms <= ? AND o.leased_until_ms <= ? "
          "ORDER BY o.next_at_ms, o.seq LIMIT ?",
          {now_ms, now_ms, lease_batch}};
}


std::optional<SqlExec> enqueue_statement(const std::vector<reception::OutboundCommand>& commands,
                                        std::int64_t now_ms) {
  if (commands.empty()) return std::nullopt;
  const auto at = rfc3339_from_ms(now_ms);
  SqlExec statement{"INSERT INTO outbound (command_id, lane, provider, action, method, url, body, auth, status, attempts, "
                    "next_at_ms, created_at, updated_at, message_key, content_type) VALUES ",
                    {}};
  for (const auto& command : commands) {
    if (!statement.params.empty()) statement.sql += ", ";
    statement.sql += "(?,?,?,?,?,?,?,?,'pending',0,?,?,?,?,?)";
    for (SqlValue value : {SqlValue{command.command_id}, SqlValue{command.lane}, SqlValue{command.provider},
                           SqlValue{command.action}, SqlValue{command.method}, SqlValue{command.url},
                           SqlValue{command.body}, SqlValue{command.auth}, SqlValue{now_ms}, SqlValue{at}, SqlValue{at},
                           SqlValue{command.message_key}, SqlValue{command.content_type}}) {
      statement.params.push_back(std::move(value));
    }
  }
  statement.sql += " ON CONFLICT (command_id) DO NOTHING RETURNING command_id";
  return statement;
}

Task<Result<void>> enqueue(ObjectContext& context, std::vector<reception::OutboundCommand> commands,
                           std::int64_t now_ms) {
  auto statement = enqueue_statement(commands, now_ms);
  if (!statement) co_return Unit{};
  FRONTDESK_CO_TRY(auto inserted, co_await context.fx.sql(std::move(statement->sql), std::move(statement->params)));
  if (!inserted.rows.empty()) {
    FRONTDESK_CO_CHECK(co_await context.fx.alarm_set(now_ms));
  }
  co_return Unit{};
}

namespace {

// The due commands and deliveries (read by due_commands and due_deliveries), leased: what
// the reply hands the sender, and the statements that mark them leased (one per kind).
struct LeasedNow {
  std::vector<protocol::LeasedCommand> commands;
  std::vector<protocol::LeasedDelivery> deliveries;
  std::vector<SqlExec> statements;
};

LeasedNow lease_due(ObjectContext& context, const SqlRows& due, const SqlRows& due_deliveries, std::int64_t now_ms) {
  LeasedNow leased;
  for (std::size_t row = 0; row < due.rows.size(); ++row) {
    const auto text = [&](std::string_view column) { return text_of(cell(due, column, row)); };
    leased.commands.push_back({text("command_id"), text("provider"), text("method"), text("url"), text("body"),
                               text("auth"), text("content_type")});
  }
  if (!due.rows.empty()) {
    SqlExec mark{"UPDATE outbound SET leased_until_ms = ? WHERE seq IN (" + placeholders(due.rows.size()) + ")",
                 {now_ms + lease_ms}};
    for (std::size_t row = 0; row < due.rows.size(); ++row) mark.params.emplace_back(int_of(cell(due, "seq", row)));
    leased.statements.push_back(std::move(mark));
  }
  leased.deliveries = leased_deliveries(due_deliveries, now_ms, leased.statements);
  // Fan-out at work: what it keeps past its retention goes in the same batch.
  if (!leased.deliveries.empty()) {
    for (auto& prune : retention_prunes(now_ms, context.app.settings().fanout)) {
      leased.statements.push_back(std::move(prune));
    }
  }
  return leased;
}

// Marks what was leased, and sets the alarm to the next due time (the end of this lease at
// the latest: what is not settled by then goes again).
Task<Result<protocol::Lease::Reply>> finish_lease(ObjectContext& context, LeasedNow leased, std::int64_t now_ms) {
  leased.statements.push_back(next_due());
  auto results = co_await sql_batch(context.fx, std::move(leased.statements));
  FRONTDESK_CO_CHECK(first_failure(results));
  FRONTDESK_CO_CHECK(co_await arm_next(context.fx, *results.back()));
  co_return protocol::Lease::Reply{std::move(leased.commands), std::move(leased.deliveries), now_ms};
}

}  // namespace

Task<Result<protocol::Lease::Reply>> lease(ObjectContext& context, const protocol::Lease::Request&) {
  FRONTDESK_CO_TRY(auto now, co_await context.fx.now());
  std::vector<SqlExec> due_now{due_commands(now), due_deliveries(now)};
  auto found = co_await sql_batch(context.fx, std::move(due_now));
  FRONTDESK_CO_CHECK(first_failure(found));
  co_return co_await finish_lease(context, lease_due(context, *found[0], *found[1], now), now);
}

Task<Result<protocol::Settle::Reply>> settle(ObjectContext& context, const protocol::Settle::Request& request) {
  auto& fx = context.fx;
  std::vector<std::pair<std::string, protocol::CommandResult>> attempts;
  for (const auto& result : request.results) {
    if (result.command_id.empty()) co_return make_error(ErrorCode::malformed_body, "a settled result needs its command_id");
    attempts.emplace_back(result.command_id, attempt_in(result));
  }
  const auto sent_out = delivery_attempts_in(request.deliveries);
  FRONTDESK_CO_TRY(auto now, co_await fx.now());
  std::vector<SqlExec> reads;
  if (!sent_out.empty()) reads.push_back(leased_states(sent_out));
  if (!attempts.empty()) {
    std::vector<std::string> ids;
    for (const auto& [id, attempt] : attempts) ids.push_back(id);
    reads.push_back(leased_commands(ids));
  }
  auto found = co_await sql_batch(fx, std::move(reads));
  FRONTDESK_CO_CHECK(first_failure(found));
  std::vector<SqlExec> writes;
  std::int64_t settled = 0;
  if (!sent_out.empty()) {
    auto judged = settle_deliveries(sent_out, *found[0], now, context.app.settings().fanout);
    settled += judged.settled;
    for (auto& statement : judged.statements) writes.push_back(std::move(statement));
  }
  std::vector<FanoutEvent> dead;
  if (!attempts.empty()) {
    const auto& states = *found[sent_out.empty() ? 0 : 1];
    for (std::size_t row = 0; row < states.rows.size(); ++row) {
      const auto command_id = text_of(cell(states, "command_id", row));
      const auto reported = std::find_if(attempts.begin(), attempts.end(),
                                         [&](const auto& attempt) { return attempt.first == command_id; });
      if (reported == attempts.end()) continue;
      const SqlRows state{states.columns, {states.rows[row]}};
      const auto count = int_of(cell(state, "attempts")) + 1;
      const auto outcome = judge(reported->second, count, now, context.app.settings().outbound);
      writes.push_back(settle_statement(int_of(cell(state, "seq")), outcome, count, now));
      ++settled;
      // A text the provider took is named by its answer; its status events may be here already.
      const auto message_key = text_of(cell(state, "message_key"));
      const auto& provider_id = reported->second.provider_id;
      if (!message_key.empty() && outcome.status == "delivered" && !provider_id.empty()) {
        writes.push_back(name_message(message_key, provider_id));
        writes.push_back(refresh_message_status(provider_id));
      }
      if (!message_key.empty() && outcome.status == "dead") writes.push_back(message_dead(message_key));
      if (outcome.status == "dead") dead.push_back(dead_letter(context.id, command_id, state, outcome, count));
    }
  }
  // Dead letters go to the endpoints in the same batch; next_due then sees their deliveries.
  auto dead_letters = fanout_writes(dead, now, context.app.settings().fanout);
  for (auto& statement : dead_letters.statements) writes.push_back(std::move(statement));
  // {"lease":true}: the next batch is leased in the same call (the sender goes on with it).
  const bool lease_next = request.lease.value_or(false);
  if (lease_next) {
    writes.push_back(due_commands(now));
    writes.push_back(due_deliveries(now));
  } else {
    writes.push_back(next_due());
  }
  auto written = co_await sql_batch(fx, std::move(writes));
  FRONTDESK_CO_CHECK(first_failure(written));
  protocol::Settle::Reply reply;
  if (lease_next) {
    const auto count = written.size();
    auto due = lease_due(context, *written[count - 2], *written[count - 1], now);
    FRONTDESK_CO_TRY(auto leased, co_await finish_lease(context, std::move(due), now));
    reply.commands = std::move(leased.commands);
    reply.deliveries = std::move(leased.deliveries);
    reply.now_ms = leased.now_ms;
  } else {
    FRONTDESK_CO_CHECK(co_await arm_next(fx, *written.back()));
  }
  FRONTDESK_CO_CHECK(co_await publish_live(context, std::move(dead_letters.live)));
  reply.settled = settled;
  co_return reply;
}

// Newest first; `before_seq` continues a listing, `status` filters.
Task<Result<protocol::OutboundList::Reply>> list_outbound(ObjectContext& context,
                                                          const protocol::OutboundList::Request& request) {
  const auto [limit, before] = listing_of(protocol::PageRequest{request.limit, request.before_seq});
  std::vector<SqlValue> params{SqlValue{before}};
  std::string sql = "SELECT " + std::string(outbound_columns) + " FROM outbound WHERE seq < ?";
  if (request.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(protocol::name_of(*request.status)));
  }
  sql += " ORDER BY seq DESC LIMIT ?";
  params.emplace_back(limit + 1);
  FRONTDESK_CO_TRY(auto rows, co_await context.fx.sql(std::move(sql), std::move(params)));
  co_return page_of(&protocol::OutboundPage::outbound, rows, limit, outbound_at);
}

Task<Result<protocol::OutboundRetry::Reply>> outbound_retry(ObjectContext& context,
                                                            const protocol::OutboundRetry::Request& request) {
  const auto& command_id = request.command_id;
  FRONTDESK_CO_TRY(const auto now, co_await context.fx.now());
  std::vector<SqlExec> statements;
  statements.push_back({"SELECT status FROM outbound WHERE command_id = ?", {command_id}});
  statements.push_back({"UPDATE outbound SET status = 'pending', next_at_ms = ?, leased_until_ms = 0, updated_at = ? "
                        "WHERE command_id = ? AND status <> 'delivered' AND leased_until_ms <= ?",
                        {now, rfc3339_from_ms(now), command_id, now}});
  statements.push_back({"SELECT " + std::string(outbound_columns) + " FROM outbound WHERE command_id = ?", {command_id}});
  statements.push_back(next_due());
  auto results = co_await sql_batch(context.fx, std::move(statements));
  FRONTDESK_CO_CHECK(first_failure(results));
  const auto& before = *results[0];
  if (before.rows.empty()) co_return make_error(ErrorCode::not_found, "no outbound command " + command_id);
  if (text_of(cell(before, "status")) == "delivered") {
    co_return make_error(ErrorCode::conflict, "command " + command_id + " was delivered");
  }
  FRONTDESK_CO_CHECK(co_await arm_next(context.fx, *results.back()));
  co_return outbound_at(*results[2], 0);
}

}  // namespace frontdesk::objects::ledger
