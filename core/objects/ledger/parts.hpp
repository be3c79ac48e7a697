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
#include "../../reception/call_state.hpp"
#include "../../reception/commands.hpp"
#include "../../reception/screening.hpp"
#include "../../sql_batch.hpp"
#include "protocol.hpp"

namespace frontdesk::objects::ledger {
namespace json = boost::json;

// --- reading SQL cells ---
std::string text_of(const SqlValue& value);
std::int64_t int_of(const SqlValue& value);
std::optional<std::string> optional_text(const SqlValue& value);
std::optional<std::int64_t> optional_int(const SqlValue& value);
// A stored send status (outbound commands, fan-out deliveries); pending when unreadable.
protocol::SendStatus send_status_of(const SqlValue& value);
// A JSON text stored in a cell, parsed; null when the cell holds none.
json::value json_of(const SqlValue& value);
// The cell of `column` (as the statement names it) in a row; a null value when absent.
const SqlValue& cell(const SqlRows& rows, std::string_view column, std::size_t row = 0);

// --- listings: pages read with LIMIT limit + 1, so the extra row says whether more follow ---
struct Listing {
  std::int64_t limit = 100;     // the request's `limit`, 1–1000
  std::int64_t before_seq = 0;  // the request's `before_seq`; past the newest row when absent
};
// A page request, its limit clamped to 1–1000 (absent: 100).
Listing listing_of(const protocol::PageRequest& request);
// Drops the extra row, and answers item_at(rows, i) for each row kept in the page's `items`
// member, with `next` (the column "seq" of the last row kept) when more follow.
template <class Page, class Item, class ItemAt>
Page page_of(std::vector<Item> Page::*items, SqlRows& rows, std::int64_t limit, ItemAt&& item_at) {
  Page page;
  page.has_more = static_cast<std::int64_t>(rows.rows.size()) > limit;
  if (page.has_more) rows.rows.pop_back();
  auto& kept = page.*items;
  kept.reserve(rows.rows.size());
  for (std::size_t i = 0; i < rows.rows.size(); ++i) kept.push_back(item_at(rows, i));
  if (page.has_more) page.next = int_of(cell(rows, "seq", rows.rows.size() - 1));
  return page;
}

// A listing's optional filter: `condition` (" AND column = ?") and its value, added to the
// statement when the request gives one.
struct Filtered {
  std::string sql;
  std::vector<SqlValue> params;
  void where(std::string_view condition, const std::optional<std::string>& value) {
    if (!value || value->empty()) return;
    sql += condition;
    params.emplace_back(*value);
  }
};

// Creates or upgrades the tables, and seeds the registry and lists from the tenant's
// configuration when that seed changed. Runs first in the first call of an instance
// (ObjectContext::fresh): the configuration cannot change under a running instance.
Task<Result<void>> prepare(ObjectContext& context);

// --- events ---
Task<Result<protocol::EventList::Reply>> list_events(ObjectContext& context, const protocol::EventList::Request& request);
// protocol::Receive: the event recorded once (dedupe), and for a call or a text everything
// reception does with it, in this one call.
using Received = Result<protocol::Receive::Reply>;
Task<Received> receive(ObjectContext& context, const protocol::Receive::Request& request);
// When the event was received: the ledger's "now" for everything the event changes.
Result<std::int64_t> received_ms(const Event& event);
// Dedupe: find_event is read first, alone or with the other reads of the delivery, and
// insert_event goes with the delivery's writes only when it found nothing, so a provider's
// retry writes nothing (on a Durable Object any write statement, even one that changes no
// row, costs the call a commit); recorded_in reads the answer from what find_event found.
SqlExec find_event(const Event& event);
SqlExec insert_event(const Event& event);
// insert_event on its own.
Task<Result<void>> record_event(Fx& fx, const Event& event);
struct Recorded {
  std::string event_id;
  bool duplicate = false;
};
Recorded recorded_in(const Event& event, const SqlRows& found_before);
// Whether the tenant has endpoints, as find_event found: events for them are kept only then.
// Whether a delivery's events are worth building: the tenant has an endpoint (find_event's
// `fanout`), or live sockets are open on the ledger.
bool fanout_wanted(const SqlRows& found_before, const ObjectContext& context);

// --- a text's lifecycle (message_status.cpp) ---
// A status event (message.sent, .delivered, .failed, …): recorded, and the message the
// provider's id names brought up to date. → {"event_id","duplicate"}
Task<Received> receive_status(ObjectContext& context, const Event& event);
// The message's status and error code from its most advanced status event.
SqlExec refresh_message_status(const std::string& provider_message_id);
// The provider's answer to a send names the message.
SqlExec name_message(const std::string& message_key, const std::string& provider_message_id);
// A send that became a dead letter: the message failed.
SqlExec message_dead(const std::string& message_key);
// Its status events, oldest first, and their JSON.
SqlExec message_history(const std::string& provider_message_id);
std::vector<protocol::MessageStatus> history_of(const SqlRows& rows);

// --- directory: registry, allow/block lists, identities ---
Task<Result<protocol::RegistryList::Reply>> registry_list(ObjectContext& context, const protocol::RegistryList::Request&);
Task<Result<protocol::DirectoryPage::Reply>> directory_page(ObjectContext& context,
                                                            const protocol::DirectoryPage::Request& request);
Task<Result<protocol::RegistryGet::Reply>> registry_get(ObjectContext& context, const protocol::RegistryGet::Request& request);
Task<Result<protocol::ListGet::Reply>> list_get(ObjectContext& context, const protocol::ListGet::Request& request);
Task<Result<protocol::RegistryPut::Reply>> registry_put(ObjectContext& context, const protocol::RegistryPut::Request& request);
Task<Result<protocol::RegistryDelete::Reply>> registry_delete(ObjectContext& context,
                                                              const protocol::RegistryDelete::Request& request);
Task<Result<protocol::ListPut::Reply>> list_put(ObjectContext& context, const protocol::ListPut::Request& request);
Task<Result<protocol::ListDelete::Reply>> list_delete(ObjectContext& context, const protocol::ListDelete::Request& request);
Task<Result<protocol::IdentityGet::Reply>> identity(ObjectContext& context, const protocol::IdentityGet::Request& request);
// Counts a first sight of `phone` in a call or a text (first/last seen always move).
enum class Sighting { call, message, other };
// As one statement, with the identity's id when it is new; nullopt when the phone is not
// an E.164 number.
std::optional<SqlExec> identity_sighting(const std::string& phone, const std::string& at, Sighting sighting,
                                         std::string id);

// --- calls ---
// A call event (receive_call.cpp).
Task<Received> receive_call(ObjectContext& context, const Event& event);
// What screening needs of a caller in one row: namespace, identity_id, allowlisted, blocklisted,
// answered_calls, rejected_calls, earlier_recent_calls (since window_start_ms), other calls only.
SqlExec caller_screening_facts(const std::string& caller, const std::string& call_key, std::int64_t window_start_ms);
reception::ScreeningInput screening_input(const Event& event, const SqlRows& facts);
// The call's history row, inserted or brought up to date.
struct CallRow {
  const std::string& call_key;
  const std::string& call_id;
  const std::string& source;
  const std::string& provider;
  const reception::CallRecord& record;
  const std::string& at;
  std::int64_t now_ms = 0;                            // when started_at does not parse
  const reception::Decision* new_decision = nullptr;  // set once, when the call is screened
};
SqlExec call_row(bool new_call, const CallRow& call);
Task<Result<protocol::CallList::Reply>> list_calls(ObjectContext& context, const protocol::CallList::Request& request);

// --- messages ---
// An inbound text, whole: recorded, analysed, maybe answered (messages.cpp).
Task<Received> receive_text(ObjectContext& context, const Event& event);
Task<Result<protocol::MessageList::Reply>> list_messages(ObjectContext& context, const protocol::MessageList::Request& request);

// --- API tokens (authorize also counts the request against the token's rate limit) ---
Task<Result<protocol::TokenCreate::Reply>> token_create(ObjectContext& context,
                                                        const protocol::TokenCreate::Request& request);
Task<Result<protocol::TokenList::Reply>> token_list(ObjectContext& context, const protocol::TokenList::Request& request);
Task<Result<protocol::TokenGet::Reply>> token_get(ObjectContext& context, const protocol::TokenGet::Request& request);
Task<Result<protocol::TokenRevoke::Reply>> token_revoke(ObjectContext& context,
                                                       const protocol::TokenRevoke::Request& request);
Task<Result<protocol::Authorize::Reply>> authorize(ObjectContext& context, const protocol::Authorize::Request& request);

// --- sending through the provider on the API's behalf (idempotent) ---
Task<Result<protocol::SendMessage::Reply>> send_message(ObjectContext& context, const protocol::SendMessage::Request& request);
Task<Result<protocol::PlaceCall::Reply>> place_call(ObjectContext& context, const protocol::PlaceCall::Request& request);

// --- audit chain ---
// Appends unless an entry of this kind and subject exists already (a retried delivery).
Task<Result<void>> audit_once(ObjectContext& context, audit::EntryFields fields);
// Appending inside a batch: read the newest entry, then write the entry and the head.
SqlExec audit_newest_entry();
std::optional<audit::Entry> newest_entry_in(const SqlRows& rows);
std::vector<SqlExec> audit_append(const audit::Entry& entry);
Task<Result<protocol::AuditList::Reply>> audit_list(ObjectContext& context, const protocol::AuditList::Request& request);
Task<Result<protocol::AuditVerify::Reply>> audit_verify(ObjectContext& context,
                                                       const protocol::AuditVerify::Request& request);

// --- the console's live WebSocket (live.cpp) ---
Task<Result<protocol::LiveTicket::Reply>> live_ticket(ObjectContext& context, const protocol::LiveTicket::Request& request);
Task<Result<protocol::LiveTake::Reply>> live_take(ObjectContext& context, const protocol::LiveTake::Request& request);

// --- retention ---
// What `retention` lets go, a bounded batch: {"payloads","dead_letters","delivered",
// "idempotency_keys","more"} (more: call again, a batch was full).
Task<Result<protocol::Prune::Reply>> prune(ObjectContext& context, const protocol::Prune::Request& request);

// --- what the console and Prometheus read (stats.cpp, metrics.cpp) ---
Task<Result<protocol::Stats::Reply>> stats(ObjectContext& context, const protocol::Stats::Request& request);
Task<Result<protocol::Metrics::Reply>> metrics(ObjectContext& context, const protocol::Metrics::Request& request);

// --- outbound queue ---
// Queues the commands not queued before and sets the alarm when any was.
Task<Result<void>> enqueue(ObjectContext& context, std::vector<reception::OutboundCommand> commands, std::int64_t now_ms);
// The same as one statement (the caller sets the alarm); nullopt for no commands.
std::optional<SqlExec> enqueue_statement(const std::vector<reception::OutboundCommand>& commands, std::int64_t now_ms);
// Hands out the due commands (the first pending one of each lane) and deliveries for a
// while, and sets the alarm to when the lease runs out.
Task<Result<protocol::Lease::Reply>> lease(ObjectContext& context, const protocol::Lease::Request& request);
// Judges what the sender reported for leased commands and deliveries and sets the alarm to
// the next due time; with `lease` it also leases the next batch, as lease does.
Task<Result<protocol::Settle::Reply>> settle(ObjectContext& context, const protocol::Settle::Request& request);
Task<Result<protocol::OutboundList::Reply>> list_outbound(ObjectContext& context,
                                                          const protocol::OutboundList::Request& request);
// A pending or dead command sent again now (one more attempt): {"command_id"} → the command;
// not_found, or conflict when it was delivered.
Task<Result<protocol::OutboundRetry::Reply>> outbound_retry(ObjectContext& context,
                                                            const protocol::OutboundRetry::Request& request);

// --- fan-out to the tenant's endpoints (endpoints.cpp, fanout.cpp) ---
Task<Result<protocol::EndpointCreate::Reply>> endpoint_create(ObjectContext& context, const protocol::EndpointCreate::Request& request);
Task<Result<protocol::EndpointList::Reply>> endpoint_list(ObjectContext& context, const protocol::EndpointList::Request& request);
Task<Result<protocol::EndpointGet::Reply>> endpoint_get(ObjectContext& context, const protocol::EndpointGet::Request& request);
Task<Result<protocol::EndpointUpdate::Reply>> endpoint_update(ObjectContext& context, const protocol::EndpointUpdate::Request& request);
Task<Result<protocol::EndpointDelete::Reply>> endpoint_delete(ObjectContext& context, const protocol::EndpointDelete::Request& request);
Task<Result<protocol::EndpointSecretGet::Reply>> endpoint_secret(ObjectContext& context, const protocol::EndpointSecretGet::Request& request);
Task<Result<protocol::EndpointRotate::Reply>> endpoint_rotate(ObjectContext& context, const protocol::EndpointRotate::Request& request);
Task<Result<protocol::EndpointTest::Reply>> endpoint_test(ObjectContext& context, const protocol::EndpointTest::Request& request);
Task<Result<protocol::EndpointReplay::Reply>> endpoint_replay(ObjectContext& context, const protocol::EndpointReplay::Request& request);
Task<Result<protocol::DeliveryList::Reply>> list_deliveries(ObjectContext& context, const protocol::DeliveryList::Request& request);
Task<Result<protocol::DeliveryRetry::Reply>> delivery_retry(ObjectContext& context, const protocol::DeliveryRetry::Request& request);

// An event for the endpoints: its id comes from the tenant, type and subject (a call id, a
// message id, an event id), so one record never makes it twice.
struct FanoutEvent {
  std::string id;
  std::string type;
  json::object data;
};
FanoutEvent fanout_event(std::string_view tenant, std::string type, std::string_view subject, json::object data);
// The statements that keep the events and queue their deliveries; delivery_statements are
// the indexes of those that queue (each answers the ids it queued). only_endpoint: one
// endpoint's delivery, else every enabled endpoint whose filter takes the type.
struct FanoutWrites {
  std::vector<SqlExec> statements;
  std::vector<std::size_t> delivery_statements;
  std::vector<LiveMessage> live;  // the events as the console's live sockets get them
};
FanoutWrites fanout_writes(const std::vector<FanoutEvent>& events, std::int64_t now_ms, const FanoutSettings& settings,
                           const std::string& only_endpoint = {});
// A delivery's writes in one step, with the alarm set beside them when commands were
// queued (alarm_at), and the events' writes in the same batch, the alarm then set for the
// deliveries they queued (one more step, only when they queued any).
// The events also go to the live sockets open on the ledger (ObjectContext::listening).
Task<Result<void>> write_changes(ObjectContext& context, std::vector<SqlExec> changes,
                                 std::optional<std::int64_t> alarm_at, const std::vector<FanoutEvent>& events,
                                 std::int64_t now_ms);
// The events of a record an API call or the alarm wrote (a text sent, a registry edit, a dead
// letter), in one more step: kept, and delivered, only when the tenant has an endpoint; and
// published to the live sockets when there are any.
Task<Result<void>> fan_out(ObjectContext& context, const std::vector<FanoutEvent>& events, std::int64_t now_ms);
// Hands the events to the host for the live sockets, when any are open (else nothing).
Task<Result<void>> publish_live(ObjectContext& context, std::vector<LiveMessage> messages);
// The outbound queue's alarm queries (outbound.cpp): when the alarm must run next
// (deliveries included), and the commands a lease hands out now.
SqlExec next_due();
SqlExec due_commands(std::int64_t now_ms);
// What settling reads of the reported commands still leased.
SqlExec leased_commands(const std::vector<std::string>& command_ids);
// For the alarm: the earliest time a delivery can go; the due ones leased to the sender
// (the statements marking them leased are added), as {"id","url","secrets":[…],"body"}.
SqlExec next_delivery_due();
// What is older than fanout.retention_days goes, a bounded batch per alarm run: events kept
// for replay, and finished (delivered or dead) deliveries with their attempts.
std::vector<SqlExec> retention_prunes(std::int64_t now_ms, const FanoutSettings& settings);
SqlExec due_deliveries(std::int64_t now_ms);
std::vector<protocol::LeasedDelivery> leased_deliveries(const SqlRows& due, std::int64_t now_ms,
                                                        std::vector<SqlExec>& statements);
// What the sender reported for a delivery, judged: an attempt logged, then delivered,
// pending again on the schedule, or dead; the endpoint disabled once it has failed too long.
struct DeliveryAttempt {
  std::string id;
  std::optional<std::int64_t> status;
  std::string error;
  std::int64_t duration_ms = 0;
};
std::vector<DeliveryAttempt> delivery_attempts_in(const std::vector<protocol::DeliveryResult>& results);
// What settling needs of those still leased (one read, whatever their number: a lease hands
// out at most 20), then the writes: a few statements for all that were delivered, and a
// couple more for each failure.
SqlExec leased_states(const std::vector<DeliveryAttempt>& attempts);
struct SettledDeliveries {
  std::vector<SqlExec> statements;
  std::int64_t settled = 0;
};
SettledDeliveries settle_deliveries(const std::vector<DeliveryAttempt>& attempts, const SqlRows& states,
                                    std::int64_t now_ms, const FanoutSettings& settings);

}  // namespace frontdesk::objects::ledger
