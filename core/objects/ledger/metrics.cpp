// The tenant's counters for Prometheus (core/metrics/tenant.cpp names and renders them):
// counted from the ledger's own tables, so they move exactly with what it recorded.
#include <boost/json.hpp>

#include "../../metrics/tenant.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

// The column of the call-duration histogram's count at `bound`.
std::string duration_column(double bound) { return "le_" + std::to_string(static_cast<long long>(bound)); }

// The call-duration histogram's counts at each bound, in one pass over the ended calls.
std::string duration_read() {
  std::string sql = "SELECT COUNT(*) AS n, COALESCE(SUM(duration_s), 0) AS total";
  for (const auto bound : metrics::call_duration_bounds) {
    const auto whole = std::to_string(static_cast<long long>(bound));
    sql.append(", COALESCE(SUM(duration_s <= ").append(whole).append("), 0) AS ").append(duration_column(bound));
  }
  return sql + " FROM calls WHERE duration_s IS NOT NULL";
}

// Each row of a grouped count as its type, read by column name.
template <class Count, class Read>
std::vector<Count> counts_of(const SqlRows& rows, Read&& read) {
  std::vector<Count> counts;
  counts.reserve(rows.rows.size());
  for (std::size_t i = 0; i < rows.rows.size(); ++i) {
    const auto text = [&](std::string_view column) { return text_of(cell(rows, column, i)); };
    const auto number = [&](std::string_view column) { return int_of(cell(rows, column, i)); };
    counts.push_back(read(text, number));
  }
  return counts;
}

}  // namespace

Task<Result<protocol::Metrics::Reply>> metrics(ObjectContext& context, const protocol::Metrics::Request&) {
  std::vector<SqlExec> statements{
      {"SELECT outcome, COUNT(*) AS n FROM calls WHERE outcome IS NOT NULL GROUP BY outcome", {}},
      {"SELECT state, COUNT(*) AS n FROM calls GROUP BY state", {}},
      {duration_read(), {}},
      {"SELECT direction, priority, COUNT(*) AS n FROM messages GROUP BY direction, priority", {}},
      {"SELECT source, COUNT(*) AS n FROM events GROUP BY source", {}},
      {"SELECT provider, status, COUNT(*) AS n, SUM(attempts) AS attempts FROM outbound GROUP BY provider, status", {}},
      {"SELECT CASE WHEN status_code BETWEEN 200 AND 299 THEN 'delivered' ELSE 'failed' END AS result, "
       "COUNT(*) AS n FROM delivery_attempts GROUP BY result",
       {}},
      {"SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status", {}},
  };
  auto results = co_await sql_batch(context.fx, std::move(statements));
  FRONTDESK_CO_CHECK(first_failure(results));
  protocol::Metrics::Reply reply;
  reply.decisions = counts_of<protocol::OutcomeCount>(
      *results[0], [](auto text, auto number) { return protocol::OutcomeCount{text("outcome"), number("n")}; });
  reply.calls = counts_of<protocol::StateCount>(
      *results[1], [](auto text, auto number) { return protocol::StateCount{text("state"), number("n")}; });
  const auto& durations = *results[2];
  reply.durations.n = int_of(cell(durations, "n"));
  reply.durations.total = int_of(cell(durations, "total"));
  for (const auto bound : metrics::call_duration_bounds) {
    reply.durations.at_most.push_back(int_of(cell(durations, duration_column(bound))));
  }
  reply.messages = counts_of<protocol::MessageCount>(*results[3], [](auto text, auto number) {
    return protocol::MessageCount{text("direction"), text("priority"), number("n")};
  });
  reply.webhooks = counts_of<protocol::SourceCount>(
      *results[4], [](auto text, auto number) { return protocol::SourceCount{text("source"), number("n")}; });
  reply.commands = counts_of<protocol::CommandCount>(*results[5], [](auto text, auto number) {
    return protocol::CommandCount{text("provider"), text("status"), number("n"), number("attempts")};
  });
  reply.attempts = counts_of<protocol::ResultCount>(
      *results[6], [](auto text, auto number) { return protocol::ResultCount{text("result"), number("n")}; });
  reply.deliveries = counts_of<protocol::StatusCount>(
      *results[7], [](auto text, auto number) { return protocol::StatusCount{text("status"), number("n")}; });
  co_return reply;
}

}  // namespace frontdesk::objects::ledger
