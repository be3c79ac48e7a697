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
    "c.seq AS seq, c.call_id AS call_id, c.source AS source, c.provider AS provider, "
    "c.provider_call_id AS provider_call_id, c.from_number AS from_number, c.to_number AS to_number, "
    "c.direction AS direction, c.state AS state, c.started_at AS started_at, c.updated_at AS updated_at, "
    "c.record AS record, i.id AS identity_id";

// The calls table's one mapping, by column name: the row's summary, and from the call
// record its times and the documents it keeps. The decision and the transcript's analysis
// are JSON texts inside the record.
protocol::Call call_at(const SqlRows& rows, std::size_t row) {
  const auto text = [&](std::string_view column) { return text_of(cell(rows, column, row)); };
  const auto record = json_of(cell(rows, "record", row));
  const auto* fields = record.if_object();
  const auto from_record = [&](std::string_view name) -> json::value {
    const auto* value = fields ? fields->if_contains(name) : nullptr;
    return value ? *value : json::value(nullptr);
  };
  const auto json_text = [](const json::value& stored) -> json::value {
    if (!stored.is_string() || stored.get_string().empty()) return nullptr;
    json::error_code ec;
    auto parsed = json::parse(stored.get_string(), ec);
    return ec ? json::value(nullptr) : parsed;
  };
  const auto time_of = [&](std::string_view name) -> std::optional<std::string> {
    const auto value = from_record(name);
    if (!value.is_string() || value.get_string().empty()) return std::nullopt;
    return std::string(value.get_string());
  };
  return {text("call_id"),
          text("source"),
          text("provider"),
          text("provider_call_id"),
          text("from_number"),
          text("to_number"),
          text("direction"),
          text("state"),
          text("started_at"),
          time_of("answered_at"),
          time_of("ended_at"),
          text("updated_at"),
          from_record("timeline"),
          from_record("recording"),
          from_record("transcript"),
          from_record("summary"),
          json_text(from_record("analysis")),
          json_text(from_record("decision")),
          optional_text(cell(rows, "identity_id", row))};
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
// so they never shift a page).
Task<Result<protocol::CallList::Reply>> list_calls(ObjectContext& context, const protocol::CallList::Request& request) {
  const auto [limit, before] = listing_of(protocol::PageRequest{request.limit, request.before_seq});
  Filtered query{"SELECT " + std::string(call_columns) +
                     " FROM calls c LEFT JOIN identities i ON i.phone = "
                     "CASE WHEN c.direction = 'outbound' THEN c.to_number ELSE c.from_number END WHERE c.seq < ?",
                 {SqlValue{before}}};
  query.where(" AND c.call_id = ?", request.id);
  query.where(" AND c.state = ?", request.status);
  query.where(" AND c.from_number = ?", request.from);
  if (request.since_ms) {
    // Every call that started since then was inserted at or after the first such call, so
    // that seq bounds the walk (found through calls_by_start) instead of the whole table.
    query.sql += " AND c.seq >= (SELECT COALESCE(MIN(seq), 9007199254740991) FROM calls WHERE started_ms >= ?)"
                 " AND c.started_ms >= ?";
    query.params.emplace_back(*request.since_ms);
    query.params.emplace_back(*request.since_ms);
  }
  query.sql += " ORDER BY c.seq DESC LIMIT ?";
  query.params.emplace_back(limit + 1);
  FRONTDESK_CO_TRY(auto rows, co_await context.fx.sql(std::move(query.sql), std::move(query.params)));
  co_return page_of(&protocol::CallPage::calls, rows, limit, call_at);
}

}  // namespace frontdesk::objects::ledger
