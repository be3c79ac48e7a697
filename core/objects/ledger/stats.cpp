// What the console's charts draw: a window of calls (by outcome and action), received texts
// (by priority) and verified webhooks (by source), counted by the ledger over its time
// indexes, so no page of rows ever goes to the browser.
#include <array>
#include <boost/json.hpp>

#include "../../sql_batch.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::int64_t hour_ms = 3'600'000;
constexpr std::int64_t day_ms = 24 * hour_ms;

constexpr std::array<std::string_view, 5> outcomes{"authenticated", "allowlisted", "blocked", "screened", "rejected"};
constexpr std::array<std::string_view, 4> actions{"answer", "forward", "reject_with_message", "reject"};
constexpr std::array<std::string_view, 4> priorities{"urgent", "high", "normal", "low"};

template <std::size_t N>
json::object zeros(const std::array<std::string_view, N>& names) {
  json::object counts;
  for (const auto name : names) counts[name] = 0;
  return counts;
}

void add_to(json::object& counts, std::string_view name, std::int64_t n) {
  if (auto* count = counts.if_contains(name)) *count = count->as_int64() + n;
}

// The bucket a time falls in, from the RFC 3339 text's hour or day prefix.
std::int64_t bucket_start(std::string_view prefix, std::int64_t bucket) {
  const std::string at = std::string(prefix) + (bucket == hour_ms ? ":00:00Z" : "T00:00:00Z");
  const auto us = unix_us_from_rfc3339(at);
  return us ? *us / 1000 : -1;
}

}  // namespace

// {"since_ms","until_ms","bucket":"hour"|"day"} → {"bucket","since","until","calls":[…],"texts":[…],
// "webhooks":[…]}: since and until rounded out to whole buckets (the route caps their number).
Task<ObjectReply> stats(ObjectContext& context, const json::object& message) {
  const auto bucket_name = field_text(message, "bucket");
  const std::int64_t bucket = bucket_name == "day" ? day_ms : hour_ms;
  const auto since_ms = field_int(message, "since_ms");
  const auto until_ms = field_int(message, "until_ms");
  if (!since_ms || !until_ms || *until_ms <= *since_ms || *since_ms < 0) {
    co_return make_error(ErrorCode::invalid_field, "since: must be before until");
  }
  const std::int64_t first = *since_ms / bucket * bucket;
  const std::int64_t end = (*until_ms + bucket - 1) / bucket * bucket;
  const auto since = rfc3339_from_ms(first);
  const auto until = rfc3339_from_ms(end);
  const std::int64_t prefix = bucket == hour_ms ? 13 : 10;  // "2026-11-30T05" or "2026-11-30"

  std::vector<SqlExec> reads;
  reads.push_back({"SELECT started_ms / ? AS bucket, outcome, action, COUNT(*) AS n FROM calls "
                   "WHERE started_ms >= ? AND started_ms < ? GROUP BY bucket, outcome, action",
                   {bucket, first, end}});
  reads.push_back({"SELECT substr(received_at, 1, ?) AS bucket, priority, COUNT(*) AS n FROM messages "
                   "WHERE received_at >= ? AND received_at < ? AND direction = 'inbound' GROUP BY bucket, priority",
                   {prefix, since, until}});
  reads.push_back({"SELECT source, COUNT(*) AS n FROM events WHERE received_at >= ? AND received_at < ? "
                   "GROUP BY source ORDER BY source",
                   {since, until}});
  auto results = co_await sql_batch(context.fx, std::move(reads));
  if (auto failed = first_failure(results); !failed) co_return failed.error();

  const auto count = static_cast<std::size_t>((end - first) / bucket);
  json::array calls;
  json::array texts;
  for (std::size_t i = 0; i < count; ++i) {
    const auto at = rfc3339_from_ms(first + static_cast<std::int64_t>(i) * bucket);
    calls.push_back(json::object{{"at", at}, {"total", 0}, {"outcomes", zeros(outcomes)}, {"actions", zeros(actions)}});
    texts.push_back(json::object{{"at", at}, {"total", 0}, {"priorities", zeros(priorities)}});
  }
  const auto& call_rows = *results[0];
  for (std::size_t row = 0; row < call_rows.rows.size(); ++row) {
    const auto start = int_of(cell(call_rows, "bucket", row)) * bucket;
    if (start < first || start >= end) continue;
    auto& entry = calls[static_cast<std::size_t>((start - first) / bucket)].as_object();
    const auto n = int_of(cell(call_rows, "n", row));
    entry["total"] = entry["total"].as_int64() + n;
    add_to(entry["outcomes"].as_object(), text_of(cell(call_rows, "outcome", row)), n);
    add_to(entry["actions"].as_object(), text_of(cell(call_rows, "action", row)), n);
  }
  const auto& text_rows = *results[1];
  for (std::size_t row = 0; row < text_rows.rows.size(); ++row) {
    const auto start = bucket_start(text_of(cell(text_rows, "bucket", row)), bucket);
    if (start < first || start >= end) continue;
    auto& entry = texts[static_cast<std::size_t>((start - first) / bucket)].as_object();
    const auto n = int_of(cell(text_rows, "n", row));
    entry["total"] = entry["total"].as_int64() + n;
    add_to(entry["priorities"].as_object(), text_of(cell(text_rows, "priority", row)), n);
  }
  json::array webhooks;
  const auto& webhook_rows = *results[2];
  for (std::size_t row = 0; row < webhook_rows.rows.size(); ++row) {
    webhooks.push_back(json::object{{"source", text_of(cell(webhook_rows, "source", row))},
                                    {"result", "verified"},
                                    {"count", int_of(cell(webhook_rows, "n", row))}});
  }
  co_return json::serialize(json::object{{"bucket", bucket == day_ms ? "day" : "hour"},
                                         {"since", since},
                                         {"until", until},
                                         {"calls", std::move(calls)},
                                         {"texts", std::move(texts)},
                                         {"webhooks", std::move(webhooks)}});
}

}  // namespace frontdesk::objects::ledger
