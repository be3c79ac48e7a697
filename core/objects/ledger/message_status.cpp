// A text's lifecycle: queued → sent → delivered, or failed / undelivered with the
// provider's error code. The status events are the record: a message's status is what its
// most advanced status event says (events arrive out of order, and may come before the
// provider's answer names the message), recomputed whenever either side arrives.
#include <boost/json.hpp>

#include "../../sql_batch.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

// How far along a status is; a later event never moves a message back. 0: not a status of
// the lifecycle (kept on the event, not on the message).
constexpr std::string_view rank_of_status =
    "CASE e.status WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 "
    "WHEN 'undelivered' THEN 3 WHEN 'failed' THEN 3 ELSE 0 END";

std::string latest(std::string_view column) {
  return "(SELECT e." + std::string(column) +
         " FROM events e WHERE e.message_id = messages.provider_message_id AND e.kind = 'message' "
         "AND e.type <> 'message.received' AND " + std::string(rank_of_status) + " > 0 ORDER BY " +
         std::string(rank_of_status) + " DESC, e.seq DESC LIMIT 1)";
}

}  // namespace

SqlExec refresh_message_status(const std::string& provider_message_id) {
  return {"UPDATE messages SET status = COALESCE(" + latest("status") + ", status), error_code = COALESCE(" +
              latest("error_code") + ", error_code) WHERE provider_message_id = ? AND provider_message_id <> ''",
          {provider_message_id}};
}

SqlExec name_message(const std::string& message_key, const std::string& provider_message_id) {
  return {"UPDATE messages SET provider_message_id = ? WHERE message_key = ? AND provider_message_id = ''",
          {provider_message_id, message_key}};
}

SqlExec message_dead(const std::string& message_key) {
  return {"UPDATE messages SET status = 'failed', error_code = 'dead_letter' WHERE message_key = ?", {message_key}};
}

SqlExec message_history(const std::string& provider_message_id) {
  return {"SELECT event_id AS event_id, type AS type, status AS status, error_code AS error_code, "
          "occurred_at AS occurred_at, received_at AS received_at FROM events "
          "WHERE message_id = ? AND message_id <> '' AND kind = 'message' AND type <> 'message.received' ORDER BY seq",
          {provider_message_id}};
}

std::vector<protocol::MessageStatus> history_of(const SqlRows& rows) {
  std::vector<protocol::MessageStatus> history;
  for (std::size_t row = 0; row < rows.rows.size(); ++row) {
    const auto text = [&](std::string_view column) { return text_of(cell(rows, column, row)); };
    history.push_back({text("event_id"), text("type"), text("status"), text("error_code"), text("occurred_at"),
                       text("received_at")});
  }
  return history;
}

Task<Received> receive_status(ObjectContext& context, const Event& event) {
  FRONTDESK_CO_TRY(const auto found, co_await context.fx.sql(find_event(event)));
  const auto recorded = recorded_in(event, found);
  if (recorded.duplicate) co_return protocol::Receive::Reply{recorded.event_id, true, std::nullopt};
  // Built outside the co_await: GCC 12 miscompiles braced lists inside one.
  std::vector<SqlExec> statements{insert_event(event)};
  if (!event.message_id.empty()) statements.push_back(refresh_message_status(event.message_id));
  auto results = co_await sql_batch(context.fx, std::move(statements));
  FRONTDESK_CO_CHECK(first_failure(results));
  co_return protocol::Receive::Reply{recorded.event_id, false, std::nullopt};
}

}  // namespace frontdesk::objects::ledger
