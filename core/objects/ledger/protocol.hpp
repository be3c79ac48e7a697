#pragma once
// The ledger's operations as types (core/objects/protocol.hpp): what a caller sends and what
// the ledger answers. docs/reception.md lists them; tests/unit/protocol_test.cpp keeps the
// table in step with these types.
#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/list.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../../event.hpp"
#include "../protocol.hpp"

namespace frontdesk::objects::protocol {

// A verified, normalized event, whole: recorded once, and for a call or a text everything
// reception does with it, in this one call.
struct Receive {
  static constexpr std::string_view name = "receive";
  struct Request {
    Event event;  // received_at is the ledger's "now" for everything the event changes
  };
  struct Reply {
    std::string event_id;  // the first delivery's, for a repeat
    bool duplicate = false;
    // Twilio's answer when the decision or an auto-reply is carried by it.
    std::optional<std::string> twiml;
  };
};
BOOST_DESCRIBE_STRUCT(Receive::Request, (), (event))
BOOST_DESCRIBE_STRUCT(Receive::Reply, (), (event_id, duplicate, twiml))

// The verified inbox, newest first, narrowed by whichever filters are given: `since`
// (inclusive) and `until` (exclusive) bound received_at, as RFC 3339 UTC texts.
struct EventPage {
  std::vector<Event> events;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(EventPage, (), (events, has_more, next))

struct EventList {
  static constexpr std::string_view name = "list_events";
  struct Request {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> before_seq;
    std::optional<std::string> source;
    std::optional<std::string> type;
    std::optional<std::string> since;
    std::optional<std::string> until;
  };
  using Reply = EventPage;
};
BOOST_DESCRIBE_STRUCT(EventList::Request, (), (limit, before_seq, source, type, since, until))

// The alarm's sender (core/objects/ledger/sender.cpp) leases what is due, sends it outside
// the ledger's turn, and settles the answers.

// A provider command to send now, without its key (the sender adds it).
struct LeasedCommand {
  std::string command_id;
  std::string provider;
  std::string method;
  std::string url;
  std::string body;
  std::string auth;  // bearer | plain (OpenPhone's key without Bearer) | basic (Twilio's)
  std::string content_type;
};
BOOST_DESCRIBE_STRUCT(LeasedCommand, (), (command_id, provider, method, url, body, auth, content_type))

// A fan-out delivery to sign and post now: the endpoint's secrets, newest first.
struct LeasedDelivery {
  std::string id;
  std::string url;
  std::vector<std::string> secrets;
  std::string body;
};
BOOST_DESCRIBE_STRUCT(LeasedDelivery, (), (id, url, secrets, body))

struct Lease {
  static constexpr std::string_view name = "lease";
  struct Request {};
  struct Reply {
    std::vector<LeasedCommand> commands;  // at most 10
    std::vector<LeasedDelivery> deliveries;  // at most 20
    std::int64_t now_ms = 0;  // the lease's time: the deliveries are signed with it
  };
};
BOOST_DESCRIBE_STRUCT(Lease::Request, (), ())
BOOST_DESCRIBE_STRUCT(Lease::Reply, (), (commands, deliveries, now_ms))

// What came of sending a leased command.
struct CommandResult {
  std::string command_id;
  bool sent = false;                          // false: it could not even be sent (no provider)
  std::optional<std::int64_t> status;         // the HTTP status; absent when no answer came
  std::string error;                          // why it failed, when it did
  std::optional<std::int64_t> retry_after_ms;  // a 429/503's Retry-After
  std::string provider_id;                     // what the provider calls what it accepted
};
BOOST_DESCRIBE_STRUCT(CommandResult, (), (command_id, sent, status, error, retry_after_ms, provider_id))

// What came of posting a leased delivery.
struct DeliveryResult {
  std::string id;
  std::optional<std::int64_t> status;  // absent when no answer came
  std::string error;
  std::int64_t duration_ms = 0;
};
BOOST_DESCRIBE_STRUCT(DeliveryResult, (), (id, status, error, duration_ms))

struct Settle {
  static constexpr std::string_view name = "settle";
  struct Request {
    std::vector<CommandResult> results;
    std::vector<DeliveryResult> deliveries;
    std::optional<bool> lease;  // true: lease the next batch in the same call
  };
  // With `lease`, the next batch as Lease::Reply has it.
  struct Reply {
    std::int64_t settled = 0;
    std::optional<std::vector<LeasedCommand>> commands;
    std::optional<std::vector<LeasedDelivery>> deliveries;
    std::optional<std::int64_t> now_ms;
  };
};
BOOST_DESCRIBE_STRUCT(Settle::Request, (), (results, deliveries, lease))
BOOST_DESCRIBE_STRUCT(Settle::Reply, (), (settled, commands, deliveries, now_ms))

// An API token, checked and counted: the ledger is strongly consistent where KV is not.
struct AuthorizedToken {
  std::string id;
  std::vector<std::string> scopes;
  std::optional<std::int64_t> expires_at_ms;  // absent: it does not expire
};
BOOST_DESCRIBE_STRUCT(AuthorizedToken, (), (id, scopes, expires_at_ms))

// This request counted against the token's limit in the current minute.
struct RateCount {
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t reset_s = 0;  // until the minute's window ends
  bool allowed = false;      // false: over the limit (429)
};
BOOST_DESCRIBE_STRUCT(RateCount, (), (limit, remaining, reset_s, allowed))

struct Authorize {
  static constexpr std::string_view name = "authorize";
  struct Request {
    std::string token_hash;  // SHA-256 of the presented token, hex
  };
  // ok false (no token, rate): unknown, revoked or expired.
  struct Reply {
    bool ok = false;
    std::optional<AuthorizedToken> token;
    std::optional<RateCount> rate;
  };
};
BOOST_DESCRIBE_STRUCT(Authorize::Request, (), (token_hash))
BOOST_DESCRIBE_STRUCT(Authorize::Reply, (), (ok, token, rate))

// A call of the tenant's history as the API shows it (docs/api.md): the row's summary, the
// record's times, and what the call record keeps as documents (its timeline, recording,
// transcript and its analysis, summary, and the decision with its trust factors), carried
// whole as JSON; null when the call has none.
struct Call {
  std::string id;
  std::string source;
  std::string provider;
  std::string provider_call_id;
  std::string from;
  std::string to;
  std::string direction;
  std::string state;
  std::string started_at;
  std::optional<std::string> answered_at;
  std::optional<std::string> ended_at;
  std::string updated_at;
  boost::json::value timeline;
  boost::json::value recording;
  boost::json::value transcript;
  boost::json::value summary;
  boost::json::value analysis;
  boost::json::value decision;
  std::optional<std::string> identity_id;  // the caller's (or, outbound, the callee's)
};
BOOST_DESCRIBE_STRUCT(Call, (), (id, source, provider, provider_call_id, from, to, direction, state, started_at,
                                 answered_at, ended_at, updated_at, timeline, recording, transcript, summary, analysis,
                                 decision, identity_id))

struct CallPage {
  std::vector<Call> calls;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(CallPage, (), (calls, has_more, next))

// Newest first (a call's seq is set when it is first seen, so calls seen meanwhile never
// shift a page), narrowed by whichever filters are given.
struct CallList {
  static constexpr std::string_view name = "list_calls";
  struct Request {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> before_seq;
    std::optional<std::string> id;
    std::optional<std::string> status;    // the call's state
    std::optional<std::string> from;      // E.164
    std::optional<std::int64_t> since_ms;  // started at or after
  };
  using Reply = CallPage;
};
BOOST_DESCRIBE_STRUCT(CallList::Request, (), (limit, before_seq, id, status, from, since_ms))

// A status event of a text, oldest first in its history.
struct MessageStatus {
  std::string event_id;
  std::string type;
  std::string status;
  std::string error_code;
  std::string occurred_at;
  std::string received_at;
};
BOOST_DESCRIBE_STRUCT(MessageStatus, (), (event_id, type, status, error_code, occurred_at, received_at))

// A text as the API shows it: `analysis` (intent, sentiment, priority, …) as the ledger keeps
// it; `history` only when one text is asked for by id.
struct Message {
  std::string id;
  std::string provider_message_id;
  std::string event_id;
  std::string source;
  std::string provider;
  std::string from;
  std::string to;
  std::vector<std::string> recipients;  // every recipient; a group text has several
  std::string direction;
  std::string text;
  std::string received_at;
  std::string status;  // the most advanced the provider reported
  std::string error_code;
  boost::json::value analysis;
  std::optional<std::string> auto_reply;  // the reply Frontdesk sent, when it sent one
  std::optional<std::vector<MessageStatus>> history;
};
BOOST_DESCRIBE_STRUCT(Message, (), (id, provider_message_id, event_id, source, provider, from, to, recipients,
                                    direction, text, received_at, status, error_code, analysis, auto_reply, history))

struct MessagePage {
  std::vector<Message> messages;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(MessagePage, (), (messages, has_more, next))

struct MessageList {
  static constexpr std::string_view name = "list_messages";
  struct Request {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> before_seq;
    std::optional<std::string> id;  // with its status history
  };
  using Reply = MessagePage;
};
BOOST_DESCRIBE_STRUCT(MessageList::Request, (), (limit, before_seq, id))

// Where something Frontdesk sends stands: a provider command (outbound) or a fan-out
// delivery. dead: it will not be tried again unless someone retries it.
enum class SendStatus { pending, delivered, dead };
BOOST_DESCRIBE_ENUM(SendStatus, pending, delivered, dead)

// A page of a listing: up to `limit` items (1–1000, clamped; absent: 100), newest first,
// before `before_seq` when it continues an earlier page. Each listing answers its own page
// type: its items under their own name, `has_more`, and `next`, where the next page starts.
struct PageRequest {
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> before_seq;
};
BOOST_DESCRIBE_STRUCT(PageRequest, (), (limit, before_seq))

// An API token as the ledger keeps it; its plaintext is never stored (only token_create's
// reply carries it, once). Times are RFC 3339.
struct Token {
  std::string id;
  std::string name;
  std::vector<std::string> scopes;
  std::string created_at;
  std::optional<std::string> expires_at;    // absent: it does not expire
  std::optional<std::string> last_used_at;  // absent: never used
  std::optional<std::string> revoked_at;
  std::optional<std::int64_t> rate_limit;  // requests a minute; absent: the tenant's default
};
BOOST_DESCRIBE_STRUCT(Token, (), (id, name, scopes, created_at, expires_at, last_used_at, revoked_at, rate_limit))

// The scopes are checked by the caller (the API, the CLI).
struct TokenCreate {
  static constexpr std::string_view name = "token_create";
  struct Request {
    std::string name;
    std::vector<std::string> scopes;
    std::optional<std::int64_t> expires_at_ms;
    std::optional<std::int64_t> rate_limit;
    std::string created_by;  // the actor, written into the audit entry
  };
  struct Reply {
    Token token;
    std::string plaintext;  // `fd_…`, shown this once
  };
};
BOOST_DESCRIBE_STRUCT(TokenCreate::Request, (), (name, scopes, expires_at_ms, rate_limit, created_by))
BOOST_DESCRIBE_STRUCT(TokenCreate::Reply, (), (token, plaintext))

struct TokenPage {
  std::vector<Token> tokens;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(TokenPage, (), (tokens, has_more, next))

struct TokenList {
  static constexpr std::string_view name = "token_list";
  using Request = PageRequest;
  using Reply = TokenPage;
};

// not_found when there is no such token.
struct TokenGet {
  static constexpr std::string_view name = "token_get";
  struct Request {
    std::string id;
  };
  using Reply = Token;
};
BOOST_DESCRIBE_STRUCT(TokenGet::Request, (), (id))

// Revoked at once: the very next request with it is refused. Revoking it again changes
// nothing and answers the token.
struct TokenRevoke {
  static constexpr std::string_view name = "token_revoke";
  struct Request {
    std::string id;
    std::string actor;  // written into the audit entry
  };
  using Reply = Token;
};
BOOST_DESCRIBE_STRUCT(TokenRevoke::Request, (), (id, actor))

// The tenant's directory: the registry (phone → verified namespace) and the allow and block
// lists. A phone is given in any form normalize_e164 reads and answered in E.164; an edit
// carries who made it (`actor`) into its audit entry and its registry.changed event.
enum class ListName { allow, block };
BOOST_DESCRIBE_ENUM(ListName, allow, block)

struct RegistryEntry {
  std::string phone;
  std::string namespace_;  // a dotted name such as alice.x
};
BOOST_DESCRIBE_STRUCT(RegistryEntry, (), (phone, namespace_))

struct ListEntry {
  ListName list = ListName::allow;
  std::string phone;
};
BOOST_DESCRIBE_STRUCT(ListEntry, (), (list, phone))

// The whole directory at once (the CLI's `registry list`).
struct RegistryList {
  static constexpr std::string_view name = "registry_list";
  struct Request {};
  struct Reply {
    std::vector<RegistryEntry> registry;  // by phone
    std::vector<std::string> allow;
    std::vector<std::string> block;
  };
};
BOOST_DESCRIBE_STRUCT(RegistryList::Request, (), ())
BOOST_DESCRIBE_STRUCT(RegistryList::Reply, (), (registry, allow, block))

// One page of the registry or of a list, newest edit first: the rowid orders them, so a page
// never skips or repeats an entry added meanwhile.
enum class DirectoryOf { registry, allow, block };
BOOST_DESCRIBE_ENUM(DirectoryOf, registry, allow, block)

struct DirectoryEntry {
  std::string phone;
  std::optional<std::string> namespace_;  // a registry entry's
  std::optional<ListName> list;           // a list entry's
  std::string updated_at;
};
BOOST_DESCRIBE_STRUCT(DirectoryEntry, (), (phone, namespace_, list, updated_at))

struct DirectoryEntries {
  std::vector<DirectoryEntry> entries;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(DirectoryEntries, (), (entries, has_more, next))

struct DirectoryPage {
  static constexpr std::string_view name = "directory_page";
  struct Request {
    DirectoryOf of = DirectoryOf::registry;
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> before_seq;
  };
  using Reply = DirectoryEntries;
};
BOOST_DESCRIBE_STRUCT(DirectoryPage::Request, (), (of, limit, before_seq))

// not_found when the phone has no entry.
struct RegistryGet {
  static constexpr std::string_view name = "registry_get";
  struct Request {
    std::string phone;
  };
  using Reply = RegistryEntry;
};
BOOST_DESCRIBE_STRUCT(RegistryGet::Request, (), (phone))

struct RegistryPut {
  static constexpr std::string_view name = "registry_put";
  struct Request {
    std::string phone;
    std::string namespace_;
    std::optional<std::string> actor;
  };
  using Reply = RegistryEntry;
};
BOOST_DESCRIBE_STRUCT(RegistryPut::Request, (), (phone, namespace_, actor))

// The entry removed; not_found when there was none.
struct RegistryDelete {
  static constexpr std::string_view name = "registry_delete";
  struct Request {
    std::string phone;
    std::optional<std::string> actor;
  };
  using Reply = RegistryEntry;
};
BOOST_DESCRIBE_STRUCT(RegistryDelete::Request, (), (phone, actor))

// not_found when the phone is not on the list.
struct ListGet {
  static constexpr std::string_view name = "list_get";
  struct Request {
    ListName list = ListName::allow;
    std::string phone;
  };
  using Reply = ListEntry;
};
BOOST_DESCRIBE_STRUCT(ListGet::Request, (), (list, phone))

struct ListPut {
  static constexpr std::string_view name = "list_put";
  struct Request {
    ListName list = ListName::allow;
    std::string phone;
    std::optional<std::string> actor;
  };
  using Reply = ListEntry;
};
BOOST_DESCRIBE_STRUCT(ListPut::Request, (), (list, phone, actor))

// not_found when the phone was not on the list.
struct ListDelete {
  static constexpr std::string_view name = "list_delete";
  using Request = ListPut::Request;
  using Reply = ListEntry;
};

// A phone number's identity: one per number seen in a call or a text, with an id the core
// mints.
struct Identity {
  std::string id;
  std::string phone;
  std::string display;  // the number as people write it
  std::string first_seen;
  std::string last_seen;
  std::int64_t calls = 0;
  std::int64_t messages = 0;
};
BOOST_DESCRIBE_STRUCT(Identity, (), (id, phone, display, first_seen, last_seen, calls, messages))

// By id when given, else by phone; no identity when none matches.
struct IdentityGet {
  static constexpr std::string_view name = "identity";
  struct Request {
    std::optional<std::string> id;
    std::optional<std::string> phone;
  };
  struct Reply {
    std::optional<Identity> identity;
  };
};
BOOST_DESCRIBE_STRUCT(IdentityGet::Request, (), (id, phone))
BOOST_DESCRIBE_STRUCT(IdentityGet::Reply, (), (identity))

// A provider command Frontdesk sent or is still sending (answer, speak, a text, …): the
// outbound queue, dead letters included. Its key is never kept here.
struct OutboundCommand {
  std::string id;  // the command_id again, as the API names an item
  std::string command_id;
  std::string lane;  // commands of a lane (a call) go in order
  std::string provider;
  std::string action;
  std::string method;
  std::string url;
  std::string body;
  SendStatus status = SendStatus::pending;
  std::int64_t attempts = 0;
  std::int64_t next_at_ms = 0;
  std::optional<std::int64_t> last_status;  // the last answer's HTTP status
  std::optional<std::string> last_error;
  std::string created_at;
  std::string updated_at;
};
BOOST_DESCRIBE_STRUCT(OutboundCommand, (), (id, command_id, lane, provider, action, method, url, body, status, attempts,
                                            next_at_ms, last_status, last_error, created_at, updated_at))

struct OutboundPage {
  std::vector<OutboundCommand> outbound;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(OutboundPage, (), (outbound, has_more, next))

// Newest first, narrowed to one status when given.
struct OutboundList {
  static constexpr std::string_view name = "list_outbound";
  struct Request {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> before_seq;
    std::optional<SendStatus> status;
  };
  using Reply = OutboundPage;
};
BOOST_DESCRIBE_STRUCT(OutboundList::Request, (), (limit, before_seq, status))

// An operator's retry: the command goes again at the next alarm, with one more attempt (a
// dead one that fails again is dead again). not_found for no such command; conflict when it
// was delivered, which is never sent twice. One the sender holds right now is left to it.
struct OutboundRetry {
  static constexpr std::string_view name = "outbound_retry";
  struct Request {
    std::string command_id;
  };
  using Reply = OutboundCommand;
};
BOOST_DESCRIBE_STRUCT(OutboundRetry::Request, (), (command_id))

// Texts and calls the API asks for: queued for the provider (the outbound queue sends and
// retries them), recorded, audited, and idempotent: the same `idempotency_key` with the same
// `request_hash` gets the first answer back; with another request, a conflict.
struct Queued {
  std::string id;      // msg_… or dial_…
  std::string status;  // queued
  std::string to;
  std::string from;
  std::optional<std::string> text;  // a text's
};
BOOST_DESCRIBE_STRUCT(Queued, (), (id, status, to, from, text))

// What an idempotent write answers: the status and body the API gives (202 and what was
// queued), the same for a repeat, or `conflict` for a key reused with another request.
struct QueuedReply {
  std::optional<std::int64_t> status;
  std::optional<Queued> body;
  std::optional<bool> conflict;
};
BOOST_DESCRIBE_STRUCT(QueuedReply, (), (status, body, conflict))

// A text through the named provider (checked by the API).
struct SendMessage {
  static constexpr std::string_view name = "send_message";
  struct Request {
    std::string to;
    std::string from;
    std::string text;
    std::string provider;
    std::string actor;
    std::optional<std::string> idempotency_key;  // scoped by the API: messages:<key>
    std::optional<std::string> request_hash;     // SHA-256 of the API request's body
  };
  using Reply = QueuedReply;
};
BOOST_DESCRIBE_STRUCT(SendMessage::Request, (), (to, from, text, provider, actor, idempotency_key, request_hash))

// An outbound call through Telnyx (POST /v2/calls on the configured connection), else
// Twilio (Calls.json).
struct PlaceCall {
  static constexpr std::string_view name = "place_call";
  struct Request {
    std::string to;
    std::string from;
    std::string actor;
    std::optional<std::string> idempotency_key;  // calls:<key>
    std::optional<std::string> request_hash;
  };
  using Reply = QueuedReply;
};
BOOST_DESCRIBE_STRUCT(PlaceCall::Request, (), (to, from, actor, idempotency_key, request_hash))

// The tenant's webhook endpoints (docs/fanout.md). URLs and event types are checked by the
// API before a request gets here.
struct Endpoint {
  std::string id;
  std::string url;
  std::vector<std::string> events;  // the types it takes; empty: every type
  std::string description;
  bool enabled = true;
  std::optional<std::string> disabled_reason;  // why Frontdesk disabled it, when it did
  std::string created_at;
  std::string updated_at;
};
BOOST_DESCRIBE_STRUCT(Endpoint, (), (id, url, events, description, enabled, disabled_reason, created_at, updated_at))

// An endpoint by its id; not_found when there is none.
struct EndpointId {
  std::string id;
};
BOOST_DESCRIBE_STRUCT(EndpointId, (), (id))

struct EndpointCreate {
  static constexpr std::string_view name = "endpoint_create";
  struct Request {
    std::string url;
    std::vector<std::string> events;
    std::optional<std::string> description;  // absent: ""
    std::optional<bool> enabled;             // absent: enabled
  };
  struct Reply {
    Endpoint endpoint;
    std::string secret;  // whsec_…, also at endpoint_secret
  };
};
BOOST_DESCRIBE_STRUCT(EndpointCreate::Request, (), (url, events, description, enabled))
BOOST_DESCRIBE_STRUCT(EndpointCreate::Reply, (), (endpoint, secret))

struct EndpointPage {
  std::vector<Endpoint> endpoints;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(EndpointPage, (), (endpoints, has_more, next))

struct EndpointList {
  static constexpr std::string_view name = "endpoint_list";
  using Request = PageRequest;
  using Reply = EndpointPage;
};

struct EndpointGet {
  static constexpr std::string_view name = "endpoint_get";
  using Request = EndpointId;
  using Reply = Endpoint;
};

// What is given changes. Enabling it again forgets why it was disabled and how long it has
// been failing, and lets the deliveries held back go.
struct EndpointUpdate {
  static constexpr std::string_view name = "endpoint_update";
  struct Request {
    std::string id;
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> events;
    std::optional<std::string> description;
    std::optional<bool> enabled;
  };
  using Reply = Endpoint;
};
BOOST_DESCRIBE_STRUCT(EndpointUpdate::Request, (), (id, url, events, description, enabled))

// The endpoint goes, with its deliveries and their attempts.
struct EndpointDelete {
  static constexpr std::string_view name = "endpoint_delete";
  using Request = EndpointId;
  struct Reply {
    std::string deleted;  // its id
  };
};
BOOST_DESCRIBE_STRUCT(EndpointDelete::Reply, (), (deleted))

struct EndpointSecret {
  std::string secret;
};
BOOST_DESCRIBE_STRUCT(EndpointSecret, (), (secret))

struct EndpointSecretGet {
  static constexpr std::string_view name = "endpoint_secret";
  using Request = EndpointId;
  using Reply = EndpointSecret;
};

// A new secret; the old one keeps signing beside it for a day.
struct EndpointRotate {
  static constexpr std::string_view name = "endpoint_rotate";
  using Request = EndpointId;
  using Reply = EndpointSecret;
};

// A frontdesk.test event for this endpoint alone; not_found unless it is enabled.
struct EndpointTest {
  static constexpr std::string_view name = "endpoint_test";
  using Request = EndpointId;
  struct Reply {
    std::string id;  // the delivery's
    std::string event_type;
  };
};
BOOST_DESCRIBE_STRUCT(EndpointTest::Reply, (), (id, event_type))

// Every event of [since_ms, until_ms) the endpoint's filter takes, sent again with its
// original delivery id (one made anew when the endpoint had none for it). Test events are
// never replayed.
struct EndpointReplay {
  static constexpr std::string_view name = "endpoint_replay";
  struct Request {
    std::string id;
    std::int64_t since_ms = 0;
    std::int64_t until_ms = 0;
  };
  struct Reply {
    std::int64_t replayed = 0;
  };
};
BOOST_DESCRIBE_STRUCT(EndpointReplay::Request, (), (id, since_ms, until_ms))
BOOST_DESCRIBE_STRUCT(EndpointReplay::Reply, (), (replayed))

// The fan-out delivery log: every event sent to an endpoint, with each attempt.

struct DeliveryAttempt {
  std::string at;
  std::optional<std::int64_t> status_code;  // absent when no answer came
  std::int64_t duration_ms = 0;
  std::optional<std::string> error;
};
BOOST_DESCRIBE_STRUCT(DeliveryAttempt, (), (at, status_code, duration_ms, error))

struct Delivery {
  std::string id;  // msg_…, the webhook-id the endpoint sees
  std::string endpoint;
  std::string event_type;
  SendStatus status = SendStatus::pending;
  std::vector<DeliveryAttempt> attempts;  // oldest first
  std::optional<std::string> next_at;     // a pending delivery's next attempt
  std::string created_at;
};
BOOST_DESCRIBE_STRUCT(Delivery, (), (id, endpoint, event_type, status, attempts, next_at, created_at))

struct DeliveryPage {
  std::vector<Delivery> deliveries;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(DeliveryPage, (), (deliveries, has_more, next))

// Newest first, narrowed by whichever filters are given.
struct DeliveryList {
  static constexpr std::string_view name = "list_deliveries";
  struct Request {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> before_seq;
    std::optional<std::string> endpoint;
    std::optional<SendStatus> status;
    std::optional<std::string> event_type;
    std::optional<std::string> id;
  };
  using Reply = DeliveryPage;
};
BOOST_DESCRIBE_STRUCT(DeliveryList::Request, (), (limit, before_seq, endpoint, status, event_type, id))

// The delivery, pending again and due now, whatever its status was.
struct DeliveryRetry {
  static constexpr std::string_view name = "delivery_retry";
  struct Request {
    std::string id;
  };
  using Reply = Delivery;
};
BOOST_DESCRIBE_STRUCT(DeliveryRetry::Request, (), (id))

// What the console's charts draw (GET /api/v1/stats, docs/api.md "Charts and metrics"): a
// window of calls, received texts and verified webhooks, counted per hour or per day.
enum class Bucket { hour, day };
BOOST_DESCRIBE_ENUM(Bucket, hour, day)

struct OutcomeCounts {
  std::int64_t authenticated = 0;
  std::int64_t allowlisted = 0;
  std::int64_t blocked = 0;
  std::int64_t screened = 0;
  std::int64_t rejected = 0;
};
BOOST_DESCRIBE_STRUCT(OutcomeCounts, (), (authenticated, allowlisted, blocked, screened, rejected))
struct ActionCounts {
  std::int64_t answer = 0;
  std::int64_t forward = 0;
  std::int64_t reject_with_message = 0;
  std::int64_t reject = 0;
};
BOOST_DESCRIBE_STRUCT(ActionCounts, (), (answer, forward, reject_with_message, reject))
struct PriorityCounts {
  std::int64_t urgent = 0;
  std::int64_t high = 0;
  std::int64_t normal = 0;
  std::int64_t low = 0;
};
BOOST_DESCRIBE_STRUCT(PriorityCounts, (), (urgent, high, normal, low))

struct CallBucket {
  std::string at;  // the bucket's start
  std::int64_t total = 0;
  OutcomeCounts outcomes;
  ActionCounts actions;
};
BOOST_DESCRIBE_STRUCT(CallBucket, (), (at, total, outcomes, actions))
struct TextBucket {
  std::string at;
  std::int64_t total = 0;  // received texts
  PriorityCounts priorities;
};
BOOST_DESCRIBE_STRUCT(TextBucket, (), (at, total, priorities))
struct WebhookCount {
  std::string source;
  std::string result;  // verified: only verified deliveries are recorded
  std::int64_t count = 0;
};
BOOST_DESCRIBE_STRUCT(WebhookCount, (), (source, result, count))

// since and until are rounded out to whole buckets (the API caps their number); every
// bucket between them is listed, empty ones too.
struct Stats {
  static constexpr std::string_view name = "stats";
  struct Request {
    std::int64_t since_ms = 0;
    std::int64_t until_ms = 0;
    Bucket bucket = Bucket::hour;
  };
  struct Reply {
    Bucket bucket = Bucket::hour;
    std::string since;
    std::string until;
    std::vector<CallBucket> calls;
    std::vector<TextBucket> texts;
    std::vector<WebhookCount> webhooks;  // by source, over the whole window
  };
};
BOOST_DESCRIBE_STRUCT(Stats::Request, (), (since_ms, until_ms, bucket))
BOOST_DESCRIBE_STRUCT(Stats::Reply, (), (bucket, since, until, calls, texts, webhooks))

// The counts behind the tenant's Prometheus metrics (core/metrics/tenant.cpp names and
// renders them), grouped from the ledger's own tables so they move exactly with what it
// recorded.
struct OutcomeCount {
  std::string outcome;
  std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(OutcomeCount, (), (outcome, n))
struct StateCount {
  std::string state;
  std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(StateCount, (), (state, n))
// Ended calls' talk time: how many, their total seconds, and how many lasted at most each of
// metrics::call_duration_bounds (cumulative, in that order).
struct DurationCounts {
  std::int64_t n = 0;
  std::int64_t total = 0;
  std::vector<std::int64_t> at_most;
};
BOOST_DESCRIBE_STRUCT(DurationCounts, (), (n, total, at_most))
struct MessageCount {
  std::string direction;
  std::string priority;
  std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(MessageCount, (), (direction, priority, n))
struct SourceCount {
  std::string source;
  std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(SourceCount, (), (source, n))
struct CommandCount {
  std::string provider;
  std::string status;
  std::int64_t n = 0;
  std::int64_t attempts = 0;
};
BOOST_DESCRIBE_STRUCT(CommandCount, (), (provider, status, n, attempts))
struct ResultCount {
  std::string result;  // delivered | failed
  std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(ResultCount, (), (result, n))
struct StatusCount {
  std::string status;
  std::int64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(StatusCount, (), (status, n))

struct Metrics {
  static constexpr std::string_view name = "metrics";
  struct Request {};
  struct Reply {
    std::vector<OutcomeCount> decisions;  // screened calls by outcome
    std::vector<StateCount> calls;        // by state
    DurationCounts durations;
    std::vector<MessageCount> messages;
    std::vector<SourceCount> webhooks;     // recorded events by source
    std::vector<CommandCount> commands;    // provider commands by provider and status
    std::vector<ResultCount> attempts;     // fan-out attempts
    std::vector<StatusCount> deliveries;   // fan-out deliveries by status
  };
};
BOOST_DESCRIBE_STRUCT(Metrics::Request, (), ())
BOOST_DESCRIBE_STRUCT(Metrics::Reply, (), (decisions, calls, durations, messages, webhooks, commands, attempts, deliveries))

// Tickets for the console's live WebSocket: minted for a token by the API, taken once by the
// host that opens the socket.
struct LiveTicket {
  static constexpr std::string_view name = "live_ticket";
  struct Request {
    std::vector<std::string> types;  // the event types the socket may see (from the token's scopes)
  };
  struct Reply {
    std::string ticket;      // valid 60 s, kept only as its SHA-256
    std::string expires_at;  // RFC 3339
  };
};
BOOST_DESCRIBE_STRUCT(LiveTicket::Request, (), (types))
BOOST_DESCRIBE_STRUCT(LiveTicket::Reply, (), (ticket, expires_at))

// The ticket is gone once taken; an unknown, used or expired one is unauthenticated.
struct LiveTake {
  static constexpr std::string_view name = "live_take";
  struct Request {
    std::string ticket;
  };
  struct Reply {
    std::vector<std::string> types;
  };
};
BOOST_DESCRIBE_STRUCT(LiveTake::Request, (), (ticket))
BOOST_DESCRIBE_STRUCT(LiveTake::Reply, (), (types))

// What `retention` no longer keeps, let go of in batches of at most 500 of each kind.
struct Prune {
  static constexpr std::string_view name = "prune";
  struct Request {};
  struct Reply {
    std::int64_t payloads = 0;  // events' raw payloads emptied
    std::int64_t dead_letters = 0;
    std::int64_t delivered = 0;  // delivered commands' logs
    std::int64_t idempotency_keys = 0;
    bool more = false;  // a batch was full: call again
  };
};
BOOST_DESCRIBE_STRUCT(Prune::Request, (), ())
BOOST_DESCRIBE_STRUCT(Prune::Reply, (), (payloads, dead_letters, delivered, idempotency_keys, more))

// An entry of the tenant's audit chain; `body` is the exact text that was hashed, so a
// reader can check every hash itself.
struct AuditEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string kind;
  std::string subject;
  std::string body;
  std::string prev_hash;
  std::string hash;
};
BOOST_DESCRIBE_STRUCT(AuditEntry, (), (seq, at, kind, subject, body, prev_hash, hash))

struct AuditPage {
  std::vector<AuditEntry> entries;
  bool has_more = false;
  std::optional<std::int64_t> next;
};
BOOST_DESCRIBE_STRUCT(AuditPage, (), (entries, has_more, next))

// Oldest first, after `after_seq`: the chain reads in the order it was written.
struct AuditList {
  static constexpr std::string_view name = "audit_list";
  struct Request {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> after_seq;
  };
  using Reply = AuditPage;
};
BOOST_DESCRIBE_STRUCT(AuditList::Request, (), (limit, after_seq))

// The tenant's audit chain checked from its first entry to its recorded head.
struct AuditVerify {
  static constexpr std::string_view name = "audit_verify";
  struct Request {};
  struct Reply {
    bool ok = false;
    std::int64_t entries = 0;
    std::optional<std::int64_t> seq;    // where the chain fails
    std::optional<std::string> reason;  // and why
  };
};
BOOST_DESCRIBE_STRUCT(AuditVerify::Request, (), ())
BOOST_DESCRIBE_STRUCT(AuditVerify::Reply, (), (ok, entries, seq, reason))

// The records listings show, and the replies that were always read with every field: what
// is unset is null.
template <>
struct names_every_field<Event> : std::true_type {};
template <>
struct names_every_field<EventPage> : std::true_type {};
template <>
struct names_every_field<Call> : std::true_type {};
template <>
struct names_every_field<CallPage> : std::true_type {};
template <>
struct names_every_field<Message> : std::true_type {};
template <>
struct names_every_field<MessagePage> : std::true_type {};
template <>
struct names_every_field<OutboundCommand> : std::true_type {};
template <>
struct names_every_field<OutboundPage> : std::true_type {};
template <>
struct names_every_field<Token> : std::true_type {};
template <>
struct names_every_field<TokenPage> : std::true_type {};
template <>
struct names_every_field<DirectoryEntries> : std::true_type {};
template <>
struct names_every_field<IdentityGet::Reply> : std::true_type {};
template <>
struct names_every_field<Endpoint> : std::true_type {};
template <>
struct names_every_field<EndpointPage> : std::true_type {};
template <>
struct names_every_field<Delivery> : std::true_type {};
template <>
struct names_every_field<DeliveryAttempt> : std::true_type {};
template <>
struct names_every_field<DeliveryPage> : std::true_type {};
template <>
struct names_every_field<AuditPage> : std::true_type {};

// Every operation of the ledger (its dispatch table has one entry for each: ledger.cpp
// asserts the count), as docs/reception.md's table lists them; the docs test reads their
// fields from here.
using LedgerOperations =
    boost::mp11::mp_list<Receive, EventList, CallList, MessageList, Lease, Settle, OutboundList, OutboundRetry,
                         SendMessage, PlaceCall, Authorize, TokenCreate, TokenList, TokenGet, TokenRevoke, RegistryList,
                         DirectoryPage, RegistryGet, RegistryPut, RegistryDelete, ListGet, ListPut, ListDelete,
                         IdentityGet, EndpointCreate, EndpointList, EndpointGet, EndpointUpdate, EndpointDelete,
                         EndpointSecretGet, EndpointRotate, EndpointTest, EndpointReplay, DeliveryList, DeliveryRetry,
                         Stats, Metrics, LiveTicket, LiveTake, Prune, AuditList, AuditVerify>;

}  // namespace frontdesk::objects::protocol
