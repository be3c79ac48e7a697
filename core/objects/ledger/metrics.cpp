// The tenant's counters for Prometheus (core/metrics/tenant.cpp names and renders them):
// counted from the ledger's own tables, so they move exactly with what it recorded.
#include <boost/json.hpp>

#include "../../metrics/tenant.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

// The call-duration histogram's counts at each bound, in one pass over the ended calls.
std::string duration_read() {
  std::string sql = "SELECT COUNT(*) AS n, COALESCE(SUM(duration_s), 0) AS total";
  for (const auto bound : metrics::call_duration_bounds) {
    const auto whole = std::to_string(static_cast<long long>(bound));
    sql.append(", COALESCE(SUM(duration_s <= ").append(whole).append("), 0) AS le_").append(whole);
  }
  return sql + " FROM calls WHERE duration_s IS NOT NULL";
}

json::array rows_of(const SqlRows& rows) {
  json::array out;
  for (const auto& row : rows.rows) {
    json::object entry;
    for (std::size_t c = 0; c < rows.columns.size() && c < row.size(); ++c) {
      if (std::holds_alternative<std::int64_t>(row[c]) || std::holds_alternative<double>(row[c])) {
        entry[rows.columns[c]] = int_of(row[c]);
      } else {
        entry[rows.columns[c]] = text_of(row[c]);
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

// → {"decisions":[{outcome,n}],"calls":[{state,n}],"durations":[{n,total,le_5,…}],
//    "messages":[{direction,priority,n}],"webhooks":[{source,n}],
//    "commands":[{provider,status,n,attempts}],"attempts":[{result,n}],"deliveries":[{status,n}]}
Task<ObjectReply> metrics(ObjectContext& context, const json::object&) {
  const std::array<std::pair<std::string_view, std::string>, 8> reads{{
      {"decisions", "SELECT outcome, COUNT(*) AS n FROM calls WHERE outcome IS NOT NULL GROUP BY outcome"},
      {"calls", "SELECT state, COUNT(*) AS n FROM calls GROUP BY state"},
      {"durations", duration_read()},
      {"messages", "SELECT direction, priority, COUNT(*) AS n FROM messages GROUP BY direction, priority"},
      {"webhooks", "SELECT source, COUNT(*) AS n FROM events GROUP BY source"},
      {"commands", "SELECT provider, status, COUNT(*) AS n, SUM(attempts) AS attempts FROM outbound "
                   "GROUP BY provider, status"},
      {"attempts", "SELECT CASE WHEN status_code BETWEEN 200 AND 299 THEN 'delivered' ELSE 'failed' END AS result, "
                   "COUNT(*) AS n FROM delivery_attempts GROUP BY result"},
      {"deliveries", "SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status"},
  }};
  std::vector<SqlExec> statements;
  for (const auto& [name, sql] : reads) statements.push_back({sql, {}});
  auto results = co_await sql_batch(context.fx, std::move(statements));
  if (auto failed = first_failure(results); !failed) co_return failed.error();
  json::object reply;
  for (std::size_t i = 0; i < reads.size(); ++i) reply[reads[i].first] = rows_of(*results[i]);
  co_return json::serialize(reply);
}

}  // namespace frontdesk::objects::ledger
