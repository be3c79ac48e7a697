// The outbound queue: provider commands and replies, sent by the ledger's alarm in order
// per lane, retried with exponential backoff, kept as dead letters when they cannot go.
// The API key is looked up when sending: the queue never holds it.
#include <algorithm>
#include <boost/json.hpp>
#include <limits>
#include <map>
#include <set>

#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::int64_t batch = 100;
// Sends per alarm run: the ledger serves nothing else while its alarm runs, so a long queue
// goes out in short runs with the tenant's webhooks in between.
constexpr std::int64_t sends_per_run = 10;
constexpr std::size_t kept_error_bytes = 200;

constexpr std::string_view outbound_columns =
    "seq, command_id, lane, provider, action, method, url, body, auth, status, attempts, next_at_ms, last_status, "
    "last_error, created_at, updated_at";

json::object outbound_from_row(const std::vector<SqlValue>& row) {
  json::value last_status = nullptr;
  if (std::holds_alternative<std::int64_t>(row[12])) last_status = int_of(row[12]);
  const auto last_error = optional_text(row[13]);
  return {{"id", text_of(row[1])},          {"command_id", text_of(row[1])},
          {"lane", text_of(row[2])},       {"provider", text_of(row[3])},
          {"action", text_of(row[4])},      {"method", text_of(row[5])},     {"url", text_of(row[6])},
          {"body", text_of(row[7])},        {"status", text_of(row[9])},     {"attempts", int_of(row[10])},
          {"next_at_ms", int_of(row[11])},  {"last_status", last_status},
          {"last_error", last_error ? json::value(*last_error) : json::value(nullptr)},
          {"created_at", text_of(row[14])}, {"updated_at", text_of(row[15])}};
}

bool retryable(int status) { return status >= 500 || status == 408 || status == 429; }

std::int64_t backoff_ms(const OutboundSettings& settings, std::int64_t attempts) {
  std::int64_t delay = settings.base_delay_ms;
  for (std::int64_t i = 1; i < attempts && delay < settings.max_delay_ms; ++i) delay *= 2;
  return std::min(delay, settings.max_delay_ms);
}

// Retry-After in seconds (the HTTP-date form is not used by these providers).
std::optional<std::int64_t> retry_after_ms(const FetchResponse& response) {
  const auto value = response.headers.get("retry-after");
  if (!value || value->empty() || value->size() > 6) return std::nullopt;
  std::int64_t seconds = 0;
  for (const char c : *value) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return seconds * 1000;
}

FetchRequest request_for(const std::vector<SqlValue>& row, const ProviderConfig& provider) {
  FetchRequest request;
  request.method = text_of(row[5]);
  request.url = text_of(row[6]);
  request.body = text_of(row[7]);
  request.headers.add("content-type", "application/json");
  request.headers.add("accept", "application/json");
  request.headers.add("authorization", text_of(row[8]) == "plain" ? provider.api_key : "Bearer " + provider.api_key);
  return request;
}

struct Outcome {
  std::string status;  // pending | delivered | dead
  std::int64_t next_at_ms = 0;
  SqlValue last_status;
  SqlValue last_error;
};

Outcome judge(const Result<FetchResponse>& response, std::int64_t attempts, std::int64_t now_ms,
              const OutboundSettings& settings) {
  Outcome outcome;
  bool retry = false;
  if (!response) {
    outcome.last_error = response.error().message;
    retry = true;
  } else {
    outcome.last_status = static_cast<std::int64_t>(response->status);
    if (response->status >= 200 && response->status < 300) {
      outcome.status = "delivered";
      return outcome;
    }
    std::string error = "HTTP " + std::to_string(response->status);
    if (!response->body.empty()) error.append(": ").append(response->body.substr(0, kept_error_bytes));
    outcome.last_error = std::move(error);
    retry = retryable(response->status);
  }
  if (!retry || attempts >= settings.max_attempts) {
    outcome.status = "dead";
    return outcome;
  }
  outcome.status = "pending";
  outcome.next_at_ms = now_ms + backoff_ms(settings, attempts);
  if (response) {
    if (const auto after = retry_after_ms(*response)) {
      outcome.next_at_ms = std::max(outcome.next_at_ms, now_ms + std::min(*after, settings.max_delay_ms));
    }
  }
  return outcome;
}

Task<Result<void>> settle(Fx& fx, std::int64_t seq, const Outcome& outcome, std::int64_t attempts,
                          std::int64_t now_ms) {
  std::vector<SqlValue> params{outcome.status, attempts, outcome.next_at_ms, outcome.last_status,
                               outcome.last_error, rfc3339_from_ms(now_ms), seq};
  auto updated = co_await fx.sql(
      "UPDATE outbound SET status = ?, attempts = ?, next_at_ms = ?, last_status = ?, last_error = ?, "
      "updated_at = ? WHERE seq = ?",
      std::move(params));
  if (!updated) co_return updated.error();
  co_return Unit{};
}

}  // namespace

std::optional<SqlExec> enqueue_statement(const std::vector<reception::OutboundCommand>& commands,
                                        std::int64_t now_ms) {
  if (commands.empty()) return std::nullopt;
  const auto at = rfc3339_from_ms(now_ms);
  SqlExec statement{"INSERT INTO outbound (command_id, lane, provider, action, method, url, body, auth, status, attempts, "
                    "next_at_ms, created_at, updated_at) VALUES ",
                    {}};
  for (const auto& command : commands) {
    if (!statement.params.empty()) statement.sql += ", ";
    statement.sql += "(?,?,?,?,?,?,?,?,'pending',0,?,?,?)";
    for (SqlValue value : {SqlValue{command.command_id}, SqlValue{command.lane}, SqlValue{command.provider},
                           SqlValue{command.action}, SqlValue{command.method}, SqlValue{command.url},
                           SqlValue{command.body}, SqlValue{command.auth}, SqlValue{now_ms}, SqlValue{at}, SqlValue{at}}) {
      statement.params.push_back(std::move(value));
    }
  }
  statement.sql += " ON CONFLICT (command_id) DO NOTHING";
  return statement;
}

Task<Result<void>> enqueue(ObjectContext& context, std::vector<reception::OutboundCommand> commands,
                           std::int64_t now_ms) {
  auto statement = enqueue_statement(commands, now_ms);
  if (!statement) co_return Unit{};
  auto inserted = co_await context.fx.sql(std::move(statement->sql), std::move(statement->params));
  if (!inserted) co_return inserted.error();
  if (inserted->rows_written > 0) {
    if (auto armed = co_await context.fx.alarm_set(now_ms); !armed) co_return armed.error();
  }
  co_return Unit{};
}

Task<ObjectReply> deliver_due(ObjectContext& context) {
  auto& fx = context.fx;
  const auto& config = context.app.settings();
  auto now = co_await fx.now();
  if (!now) co_return now.error();
  std::vector<SqlValue> limit{SqlValue{batch}};
  auto pending = co_await fx.sql("SELECT " + std::string(outbound_columns) +
                                     " FROM outbound WHERE status = 'pending' ORDER BY seq LIMIT ?",
                                 std::move(limit));
  if (!pending) co_return pending.error();
  std::set<std::string, std::less<>> held_lanes;  // an earlier command of the lane is still waiting
  // A provider that gave no answer (down, or silent until the fetch timed out) is not tried
  // again in this run: its other due commands wait for the failed one's next attempt, so one
  // dead provider costs one timeout per run, not one per command.
  std::map<std::string, std::int64_t, std::less<>> unreachable_until;
  std::int64_t sent = 0;
  for (const auto& row : pending->rows) {
    if (sent >= sends_per_run) break;
    const auto lane = text_of(row[2]);
    if (held_lanes.count(lane) > 0) continue;
    if (const auto down = unreachable_until.find(text_of(row[3])); down != unreachable_until.end()) {
      held_lanes.insert(lane);
      std::vector<SqlValue> params{SqlValue{down->second}, SqlValue{int_of(row[0])}};
      auto deferred = co_await fx.sql("UPDATE outbound SET next_at_ms = MAX(next_at_ms, ?) WHERE seq = ?",
                                      std::move(params));
      if (!deferred) co_return deferred.error();
      continue;
    }
    if (int_of(row[11]) > *now) {
      held_lanes.insert(lane);
      continue;
    }
    const auto seq = int_of(row[0]);
    const auto attempts = int_of(row[10]) + 1;
    const auto provider = config.providers.find(text_of(row[3]));
    if (provider == config.providers.end() || !provider->second.problem.empty()) {
      Outcome dead{"dead", 0, SqlValue{}, SqlValue{"provider " + text_of(row[3]) + " is not configured"}};
      if (auto settled = co_await settle(fx, seq, dead, attempts, *now); !settled) co_return settled.error();
      continue;
    }
    auto response = co_await fx.fetch(request_for(row, provider->second));
    ++sent;
    const auto outcome = judge(response, attempts, *now, config.outbound);
    if (outcome.status == "pending") held_lanes.insert(lane);
    if (!response) unreachable_until[text_of(row[3])] = outcome.status == "pending" ? outcome.next_at_ms : *now;
    if (auto settled = co_await settle(fx, seq, outcome, attempts, *now); !settled) co_return settled.error();
  }
  auto next = co_await fx.sql("SELECT MIN(next_at_ms) FROM outbound WHERE status = 'pending'");
  if (!next) co_return next.error();
  if (!next->rows.empty() && std::holds_alternative<std::int64_t>(next->rows[0][0])) {
    const auto at = std::max(int_of(next->rows[0][0]), *now);
    if (auto armed = co_await fx.alarm_set(at); !armed) co_return armed.error();
  }
  co_return json::serialize(json::object{{"sent", sent}});
}

// Newest first; `before_seq` continues a listing, `status` filters.
Task<ObjectReply> list_outbound(ObjectContext& context, const json::object& message) {
  const auto [limit, before] = listing_of(message);
  const auto status = field_text(message, "status");
  std::vector<SqlValue> params{SqlValue{before}};
  std::string sql = "SELECT " + std::string(outbound_columns) + " FROM outbound WHERE seq < ?";
  if (!status.empty()) {
    sql += " AND status = ?";
    params.emplace_back(status);
  }
  sql += " ORDER BY seq DESC LIMIT ?";
  params.emplace_back(limit + 1);
  auto rows = co_await context.fx.sql(std::move(sql), std::move(params));
  if (!rows) co_return rows.error();
  co_return json::serialize(
      page_reply("outbound", rows->rows, limit, 0, [&](const auto& row) { return outbound_from_row(row); }));
}

}  // namespace frontdesk::objects::ledger
