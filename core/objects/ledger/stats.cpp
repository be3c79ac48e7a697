// What the console's charts draw: a window of calls (by outcome and action), received texts
// (by priority) and verified webhooks (by source), counted by the ledger over its time
// indexes, so no page of rows ever goes to the browser.
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/json.hpp>

#include "../../sql_batch.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::int64_t hour_ms = 3'600'000;
constexpr std::int64_t day_ms = 24 * hour_ms;

// Adds n to the member of `counts` named `name` (a column's value); other names are not
// counted (a value this version does not chart).
template <class Counts>
void add_to(Counts& counts, std::string_view name, std::int64_t n) {
  boost::mp11::mp_for_each<boost::describe::describe_members<Counts, boost::describe::mod_public>>([&](auto member) {
    if (name == member.name) counts.*member.pointer += n;
  });
}

// The bucket a time falls in, from the RFC 3339 text's hour or day prefix.
std::int64_t bucket_start(std::string_view prefix, std::int64_t bucket) {
  const std::string at = std::string(prefix) + (bucket == hour_ms ? ":00:00Z" : "T00:00:00Z");
  const auto us = unix_us_from_rfc3339(at);
  return us ? *us / 1000 : -1;
}

}  // namespace

Task<Result<protocol::Stats::Reply>> stats(ObjectContext& context, const protocol::Stats::Request& request) {
  const std::int64_t bucket = request.bucket == protocol::Bucket::day ? day_ms : hour_ms;
  if (request.until_ms <= request.since_ms || request.since_ms < 0) {
    co_return make_error(ErrorCode::invalid_field, "since: must be before until");
  }
  const std::int64_t first = request.since_ms / bucket * bucket;
  const std::int64_t end = (request.until_ms + bucket - 1) / bucket * bucket;
  protocol::Stats::Reply reply{request.bucket, rfc3339_from_ms(first), rfc3339_from_ms(end), {}, {}, {}};
  const std::int64_t prefix = bucket == hour_ms ? 13 : 10;  // "2026-11-30T05" or "2026-11-30"

  std::vector<SqlExec> reads;
  reads.push_back({"SELECT started_ms / ? AS bucket, outcome, action, COUNT(*) AS n FROM calls "
                   "WHERE started_ms >= ? AND started_ms < ? GROUP BY bucket, outcome, action",
                   {bucket, first, end}});
  reads.push_back({"SELECT substr(received_at, 1, ?) AS bucket, priority, COUNT(*) AS n FROM messages "
                   "WHERE received_at >= ? AND received_at < ? AND direction = 'inbound' GROUP BY bucket, priority",
                   {prefix, reply.since, reply.until}});
  reads.push_back({"SELECT source, COUNT(*) AS n FROM events WHERE received_at >= ? AND received_at < ? "
                   "GROUP BY source ORDER BY source",
                   {reply.since, reply.until}});
  auto results = co_await sql_batch(context.fx, std::move(reads));
  FRONTDESK_CO_CHECK(first_failure(results));

  const auto count = static_cast<std::size_t>((end - first) / bucket);
  for (std::size_t i = 0; i < count; ++i) {
    const auto at = rfc3339_from_ms(first + static_cast<std::int64_t>(i) * bucket);
    reply.calls.push_back({at, 0, {}, {}});
    reply.texts.push_back({at, 0, {}});
  }
  const auto& call_rows = *results[0];
  for (std::size_t row = 0; row < call_rows.rows.size(); ++row) {
    const auto start = int_of(cell(call_rows, "bucket", row)) * bucket;
    if (start < first || start >= end) continue;
    auto& entry = reply.calls[static_cast<std::size_t>((start - first) / bucket)];
    const auto n = int_of(cell(call_rows, "n", row));
    entry.total += n;
    add_to(entry.outcomes, text_of(cell(call_rows, "outcome", row)), n);
    add_to(entry.actions, text_of(cell(call_rows, "action", row)), n);
  }
  const auto& text_rows = *results[1];
  for (std::size_t row = 0; row < text_rows.rows.size(); ++row) {
    const auto start = bucket_start(text_of(cell(text_rows, "bucket", row)), bucket);
    if (start < first || start >= end) continue;
    auto& entry = reply.texts[static_cast<std::size_t>((start - first) / bucket)];
    const auto n = int_of(cell(text_rows, "n", row));
    entry.total += n;
    add_to(entry.priorities, text_of(cell(text_rows, "priority", row)), n);
  }
  const auto& webhook_rows = *results[2];
  for (std::size_t row = 0; row < webhook_rows.rows.size(); ++row) {
    reply.webhooks.push_back(
        {text_of(cell(webhook_rows, "source", row)), "verified", int_of(cell(webhook_rows, "n", row))});
  }
  co_return reply;
}

}  // namespace frontdesk::objects::ledger
