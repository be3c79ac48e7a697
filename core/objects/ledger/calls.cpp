// The tenant's call history: one row per call (kept current by the call object's updates),
// the facts screening needs about a caller, and the decision's audit entry and commands.
#include <algorithm>
#include <limits>
#include <boost/json.hpp>

#include "../../phone.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::string_view call_columns =
    "c.seq, c.call_id, c.source, c.provider, c.provider_call_id, c.from_number, c.to_number, c.direction, c.state, "
    "c.started_at, c.updated_at, c.record, i.id";

// The call as the API shows it: the row's summary, the record's times, timeline and
// decision (with its trust factors), and the caller's identity.
json::object call_from_row(const std::vector<SqlValue>& row) {
  auto record = json_of(row[11]);
  const auto* fields = record.if_object();
  const auto from_record = [&](std::string_view name) -> json::value {
    const auto* value = fields ? fields->if_contains(name) : nullptr;
    return value ? *value : json::value(nullptr);
  };
  json::value decision = nullptr;
  if (const auto stored = from_record("decision"); stored.is_string() && !stored.get_string().empty()) {
    json::error_code ec;
    auto parsed = json::parse(stored.get_string(), ec);
    if (!ec) decision = std::move(parsed);
  }
  const auto empty_as_null = [](json::value value) {
    return value.is_string() && value.get_string().empty() ? json::value(nullptr) : value;
  };
  const auto identity = optional_text(row[12]);
  return {{"id", text_of(row[1])},
          {"source", text_of(row[2])},
          {"provider", text_of(row[3])},
          {"provider_call_id", text_of(row[4])},
          {"from", text_of(row[5])},
          {"to", text_of(row[6])},
          {"direction", text_of(row[7])},
          {"state", text_of(row[8])},
          {"started_at", text_of(row[9])},
          {"answered_at", empty_as_null(from_record("answered_at"))},
          {"ended_at", empty_as_null(from_record("ended_at"))},
          {"updated_at", text_of(row[10])},
          {"timeline", from_record("timeline")},
          {"decision", std::move(decision)},
          {"identity_id", identity ? json::value(*identity) : json::value(nullptr)}};
}

}  // namespace

Task<Result<json::object>> screening_facts(ObjectContext& context, const Event& event, std::string call_key,
                                           std::int64_t now_ms) {
  json::object facts{{"namespace", nullptr}, {"allowlisted", false},   {"blocklisted", false},
                     {"answered_calls", 0},  {"rejected_calls", 0},    {"recent_calls", 1}};
  const auto caller = normalize_e164(event.from);
  if (!caller) co_return facts;
  auto directory = co_await caller_facts(context, *caller);
  if (!directory) co_return directory.error();
  if (directory->registry_namespace) facts["namespace"] = *directory->registry_namespace;
  facts["allowlisted"] = directory->allowlisted;
  facts["blocklisted"] = directory->blocklisted;

  const std::int64_t window_s = tenant_settings(context.app.settings(), context.id).policy.weights.burst_window_s;
  std::vector<SqlValue> params{SqlValue{now_ms - window_s * 1000}, SqlValue{*caller}, SqlValue{std::move(call_key)}};
  auto history = co_await context.fx.sql(
      "SELECT COALESCE(SUM(CASE WHEN state IN ('answered', 'completed') THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN state = 'rejected' THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN started_ms >= ? THEN 1 ELSE 0 END), 0) "
      "FROM calls WHERE from_number = ? AND call_key <> ?",
      std::move(params));
  if (!history) co_return history.error();
  if (!history->rows.empty() && history->rows[0].size() == 3) {
    facts["answered_calls"] = int_of(history->rows[0][0]);
    facts["rejected_calls"] = int_of(history->rows[0][1]);
    facts["recent_calls"] = int_of(history->rows[0][2]) + 1;
  }
  co_return facts;
}

Task<ObjectReply> call_updated(ObjectContext& context, const json::object& message) {
  const auto* record_value = message.if_contains("record");
  const auto* record = record_value ? record_value->if_object() : nullptr;
  const auto call_key = field_text(message, "call_key");
  const auto call_id = field_text(message, "call_id");
  if (!record || call_key.empty() || call_id.empty()) {
    co_return make_error(ErrorCode::malformed_body, "call_updated needs call_key, call_id and record");
  }
  auto now = co_await context.fx.now();
  if (!now) co_return now.error();
  const auto at = rfc3339_from_ms(*now);
  const auto from = field_text(*record, "from");
  const auto to = field_text(*record, "to");
  const auto direction = field_text(*record, "direction");
  const auto state = field_text(*record, "state");
  const auto started_at = field_text(*record, "started_at");
  const auto started_us = unix_us_from_rfc3339(started_at);
  const std::int64_t started_ms = started_us ? *started_us / 1000 : *now;
  const auto decision_text = field_text(*record, "decision");
  json::value decision = nullptr;
  if (!decision_text.empty()) {
    json::error_code ec;
    decision = json::parse(decision_text, ec);
    if (ec) decision = nullptr;
  }
  const auto* decision_fields = decision.if_object();
  const SqlValue outcome = decision_fields ? SqlValue{field_text(*decision_fields, "outcome")} : SqlValue{};
  const SqlValue action = decision_fields ? SqlValue{field_text(*decision_fields, "action")} : SqlValue{};
  SqlValue score{};
  if (decision_fields) {
    if (const auto* trust = decision_fields->if_contains("trust"); trust && trust->is_object()) {
      if (auto value = field_int(trust->get_object(), "score")) score = *value;
    }
  }

  std::vector<SqlValue> key{SqlValue{call_key}};
  auto existing = co_await context.fx.sql("SELECT seq FROM calls WHERE call_key = ?", std::move(key));
  if (!existing) co_return existing.error();
  const bool new_call = existing->rows.empty();
  const auto record_json = json::serialize(*record);
  if (new_call) {
    std::vector<SqlValue> params{call_key, call_id, field_text(message, "source"), field_text(message, "provider"),
                                 field_text(*record, "call_id"), from, to, direction, state, started_at, started_ms,
                                 at, outcome, action, score, record_json};
    auto inserted = co_await context.fx.sql(
        "INSERT INTO calls (call_key, call_id, source, provider, provider_call_id, from_number, to_number, direction, "
        "state, started_at, started_ms, updated_at, outcome, action, trust_score, record) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        std::move(params));
    if (!inserted) co_return inserted.error();
    const auto party = direction == "outbound" ? to : from;
    if (auto noted = co_await note_identity(context, party, at, Sighting::call); !noted) co_return noted.error();
  } else {
    std::vector<SqlValue> params{state, started_at, started_ms, at, outcome, action, score, record_json, call_key};
    auto updated = co_await context.fx.sql(
        "UPDATE calls SET state = ?, started_at = ?, started_ms = ?, updated_at = ?, "
        "outcome = COALESCE(?, outcome), action = COALESCE(?, action), trust_score = COALESCE(?, trust_score), "
        "record = ? WHERE call_key = ?",
        std::move(params));
    if (!updated) co_return updated.error();
  }

  if (decision_fields) {
    json::object body{{"call_id", call_id}, {"provider_call_id", field_text(*record, "call_id")},
                      {"provider", field_text(message, "provider")},
                      {"from", from},       {"to", to},
                      {"decision", decision}};
    audit::EntryFields fields{at, "call.decision", call_id, json::serialize(body)};
    if (auto appended = co_await audit_once(context, std::move(fields)); !appended) co_return appended.error();
  }

  std::vector<reception::OutboundCommand> commands;
  if (const auto* list = message.if_contains("commands"); list && list->is_array()) {
    for (const auto& item : list->get_array()) {
      const auto* fields = item.if_object();
      auto command = fields ? reception::command_from_json(*fields) : std::nullopt;
      if (command) commands.push_back(std::move(*command));
    }
  }
  if (auto queued = co_await enqueue(context, std::move(commands), *now); !queued) co_return queued.error();
  co_return json::serialize(json::object{{"ok", true}, {"new_call", new_call}});
}

// Newest first. `before_seq` continues a listing (rows inserted meanwhile have higher seqs,
// so they never shift a page); filters: `id`, `status`, `from`, `since_ms`.
Task<ObjectReply> list_calls(ObjectContext& context, const json::object& message) {
  const auto [limit, before] = listing_of(message);
  std::vector<SqlValue> params{SqlValue{before}};
  std::string sql = "SELECT " + std::string(call_columns) +
                    " FROM calls c LEFT JOIN identities i ON i.phone = "
                    "CASE WHEN c.direction = 'outbound' THEN c.to_number ELSE c.from_number END WHERE c.seq < ?";
  const auto filter = [&](std::string_view field, std::string_view clause) {
    if (const auto value = field_text(message, field); !value.empty()) {
      sql += clause;
      params.emplace_back(value);
    }
  };
  filter("id", " AND c.call_id = ?");
  filter("status", " AND c.state = ?");
  filter("from", " AND c.from_number = ?");
  if (const auto since = field_int(message, "since_ms")) {
    // Every call that started since then was inserted at or after the first such call, so
    // that seq bounds the walk (found through calls_by_start) instead of the whole table.
    sql += " AND c.seq >= (SELECT COALESCE(MIN(seq), 9007199254740991) FROM calls WHERE started_ms >= ?)"
           " AND c.started_ms >= ?";
    params.emplace_back(*since);
    params.emplace_back(*since);
  }
  sql += " ORDER BY c.seq DESC LIMIT ?";
  params.emplace_back(limit + 1);
  auto rows = co_await context.fx.sql(std::move(sql), std::move(params));
  if (!rows) co_return rows.error();
  co_return json::serialize(
      page_reply("calls", rows->rows, limit, 0, [&](const auto& row) { return call_from_row(row); }));
}

}  // namespace frontdesk::objects::ledger
