#pragma once
// The ledger's pieces, one file each (schema, events, directory, calls, messages, audit,
// outbound); ledger.cpp dispatches messages to them. Internal to core/objects/ledger/.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../../audit/chain.hpp"
#include "../../dispatch.hpp"
#include "../../event.hpp"
#include "../../json.hpp"
#include "../../reception/commands.hpp"

namespace frontdesk::objects::ledger {
namespace json = boost::json;

// --- reading SQL cells ---
std::string text_of(const SqlValue& value);
std::int64_t int_of(const SqlValue& value);
std::optional<std::string> optional_text(const SqlValue& value);
// A JSON text stored in a cell, parsed; null when the cell holds none.
json::value json_of(const SqlValue& value);

// --- listings: pages read with LIMIT limit + 1, so the extra row says whether more follow ---
struct Listing {
  std::int64_t limit = 100;       // the message's `limit`, 1–1000
  std::int64_t before_seq = 0;    // the message's `before_seq`; past the newest row when absent
};
Listing listing_of(const json::object& message);
// Drops the extra row and answers {<key>: items of the rows kept, "has_more", "next": the seq
// (column seq_column) of the last row kept, or null}.
template <class ToJson>
json::object page_reply(std::string_view key, std::vector<std::vector<SqlValue>>& rows, std::int64_t limit,
                        std::size_t seq_column, ToJson&& to_json) {
  const bool more = static_cast<std::int64_t>(rows.size()) > limit;
  if (more) rows.pop_back();
  json::array items;
  for (const auto& row : rows) items.push_back(to_json(row));
  const json::value next = more ? json::value(int_of(rows.back()[seq_column])) : json::value(nullptr);
  return {{key, std::move(items)}, {"has_more", more}, {"next", next}};
}

// Creates or upgrades the tables, and seeds the registry and lists from the tenant's
// configuration when that seed changed. Runs first in every ledger call.
Task<Result<void>> prepare(ObjectContext& context);

// --- events ---
Task<ObjectReply> record_event(ObjectContext& context, const json::object& message);
Task<ObjectReply> list_events(ObjectContext& context, const json::object& message);
// Records an event and, for a call event, gathers what screening needs; a text is
// recorded, analysed and maybe answered in the same call (see messages).
Task<ObjectReply> ingest(ObjectContext& context, const json::object& message);

// --- directory: registry, allow/block lists, identities ---
Task<ObjectReply> registry_list(ObjectContext& context, const json::object& message);
Task<ObjectReply> registry_get(ObjectContext& context, const json::object& message);
Task<ObjectReply> list_get(ObjectContext& context, const json::object& message);
Task<ObjectReply> registry_put(ObjectContext& context, const json::object& message);
Task<ObjectReply> registry_delete(ObjectContext& context, const json::object& message);
Task<ObjectReply> list_put(ObjectContext& context, const json::object& message);
Task<ObjectReply> list_delete(ObjectContext& context, const json::object& message);
Task<ObjectReply> identity(ObjectContext& context, const json::object& message);
// Counts a first sight of `phone` in a call or a text (first/last seen always move).
enum class Sighting { call, message, other };
Task<Result<void>> note_identity(ObjectContext& context, std::string phone, std::string at, Sighting sighting);
struct CallerFacts {
  std::optional<std::string> registry_namespace;
  bool allowlisted = false;
  bool blocklisted = false;
};
Task<Result<CallerFacts>> caller_facts(ObjectContext& context, std::string phone);

// --- calls ---
// Screening facts for a call event: directory facts and the caller's call history.
Task<Result<json::object>> screening_facts(ObjectContext& context, const Event& event, std::string call_key,
                                           std::int64_t now_ms);
Task<ObjectReply> call_updated(ObjectContext& context, const json::object& message);
Task<ObjectReply> list_calls(ObjectContext& context, const json::object& message);

// --- messages ---
Task<ObjectReply> ingest_message(ObjectContext& context, const Event& event, std::string event_id, bool duplicate,
                                 std::int64_t now_ms);
Task<ObjectReply> list_messages(ObjectContext& context, const json::object& message);

// --- API tokens (authorize also counts the request against the token's rate limit) ---
Task<ObjectReply> token_create(ObjectContext& context, const json::object& message);
Task<ObjectReply> token_list(ObjectContext& context, const json::object& message);
Task<ObjectReply> token_get(ObjectContext& context, const json::object& message);
Task<ObjectReply> token_revoke(ObjectContext& context, const json::object& message);
Task<ObjectReply> authorize(ObjectContext& context, const json::object& message);

// --- sending through the provider on the API's behalf (idempotent) ---
Task<ObjectReply> send_message(ObjectContext& context, const json::object& message);
Task<ObjectReply> place_call(ObjectContext& context, const json::object& message);

// --- audit chain ---
// Appends unless an entry of this kind and subject exists already (a retried delivery).
Task<Result<void>> audit_once(ObjectContext& context, audit::EntryFields fields);
Task<ObjectReply> audit_list(ObjectContext& context, const json::object& message);
Task<ObjectReply> audit_verify(ObjectContext& context, const json::object& message);

// --- outbound queue ---
// Queues the commands not queued before and sets the alarm when any was.
Task<Result<void>> enqueue(ObjectContext& context, std::vector<reception::OutboundCommand> commands, std::int64_t now_ms);
Task<ObjectReply> deliver_due(ObjectContext& context);
Task<ObjectReply> list_outbound(ObjectContext& context, const json::object& message);

}  // namespace frontdesk::objects::ledger
