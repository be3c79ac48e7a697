// The tenant's call history: one row per call (kept current by the call object's updates),
// the facts screening needs about a caller, and the decision's audit entry and commands.
#include <algorithm>
#include <limits>
#include <boost/json.hpp>

#include "../../phone.hpp"
#include "../../time.hpp"
#include "../../reception/call_state.hpp"
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
  // The decision and the transcript's analysis are JSON texts inside the record.
  const auto json_text = [](const json::value& stored) -> json::value {
    if (!stored.is_string() || stored.get_string().empty()) return nullptr;
    json::error_code ec;
    auto parsed = json::parse(stored.get_string(), ec);
    return ec ? json::value(nullptr) : parsed;
  };
  json::value decision = json_text(from_record("decision"));
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
          {"recording", from_record("recording")},
          {"transcript", from_record("transcript")},
          {"summary", from_record("summary")},
          {"analysis", json_text(from_record("analysis"))},
          {"decision", std::move(decision)},
          {"identity_id", identity ? json::value(*identity) : json::value(nullptr)}};
}

}  // namespace

SqlExec caller_screening_facts(const std::string& caller, const std::string& call_key, std::int64_t window_start_ms) {
  return {"SELECT (SELECT namespace FROM registry WHERE phone = ?) AS namespace, "
          "(SELECT id FROM identities WHERE phone = ?) AS identity_id, "
          "EXISTS (SELECT 1 FROM lists WHERE list = 'allow' AND phone = ?) AS allowlisted, "
          "EXISTS (SELECT 1 FROM lists WHERE list = 'block' AND phone = ?) AS blocklisted, "
          "COALESCE(SUM(CASE WHEN state IN ('answered', 'completed') THEN 1 ELSE 0 END), 0) AS answered_calls, "
          "COALESCE(SUM(CASE WHEN state = 'rejected' THEN 1 ELSE 0 END), 0) AS rejected_calls, "
          "COALESCE(SUM(CASE WHEN started_ms >= ? THEN 1 ELSE 0 END), 0) AS earlier_recent_calls "
          "FROM calls WHERE from_number = ? AND call_key <> ?",
          {caller, caller, caller, caller, window_start_ms, caller, call_key}};
}

reception::ScreeningInput screening_input(const Event& event, const SqlRows& facts) {
  reception::ScreeningInput input;
  input.caller = event.from;
  input.attestation = event.stir_attestation;
  input.verified = event.stir_verified;
  input.recent_calls = 1;
  reception::DirectoryFacts directory;
  if (!facts.rows.empty()) {
    directory.registry_namespace = optional_text(cell(facts, "namespace"));
    directory.allowlisted = int_of(cell(facts, "allowlisted")) != 0;
    directory.blocklisted = int_of(cell(facts, "blocklisted")) != 0;
    input.answered_calls = int_of(cell(facts, "answered_calls"));
    input.rejected_calls = int_of(cell(facts, "rejected_calls"));
    input.recent_calls = int_of(cell(facts, "earlier_recent_calls")) + 1;
  }
  input.directory = directory;
  return input;
}

SqlExec call_row(bool new_call, const CallRow& call) {
  const auto& record = call.record;
  const auto started_us = unix_us_from_rfc3339(record.started_at);
  const std::int64_t started_ms = started_us ? *started_us / 1000 : call.now_ms;
  const auto* decision = call.new_decision;
  const SqlValue outcome = decision ? SqlValue{std::string(reception::outcome_name(decision->outcome))} : SqlValue{};
  const SqlValue action = decision ? SqlValue{std::string(reception::action_name(decision->action.kind))} : SqlValue{};
  const SqlValue score = decision ? SqlValue{std::int64_t{decision->trust.score}} : SqlValue{};
  const auto state = std::string(reception::call_state_name(record.state));
  auto record_json = json::serialize(reception::to_json(record));
  // Talk time, for the call-duration histogram: known once an answered call ended.
  const auto talked = record.answered_at.empty() || record.ended_at.empty()
                          ? std::nullopt
                          : seconds_between(record.answered_at, record.ended_at);
  const SqlValue duration = talked ? SqlValue{*talked} : SqlValue{};
  if (new_call) {
    return {"INSERT INTO calls (call_key, call_id, source, provider, provider_call_id, from_number, to_number, "
            "direction, state, started_at, started_ms, updated_at, outcome, action, trust_score, record, duration_s) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            {call.call_key, call.call_id, call.source, call.provider, record.call_id, record.from, record.to,
             record.direction, state, record.started_at, started_ms, call.at, outcome, action, score,
             std::move(record_json), duration}};
  }
  return {"UPDATE calls SET state = ?, started_at = ?, started_ms = ?, updated_at = ?, "
          "outcome = COALESCE(?, outcome), action = COALESCE(?, action), trust_score = COALESCE(?, trust_score), "
          "record = ?, duration_s = ? WHERE call_key = ?",
          {state, record.started_at, started_ms, call.at, outcome, action, score, std::move(record_json), duration,
           call.call_key}};
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
