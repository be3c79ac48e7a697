#pragma once
// The ledger's operations as types (core/objects/protocol.hpp): what a caller sends and what
// the ledger answers. docs/reception.md lists them; tests/unit/protocol_test.cpp keeps the
// table in step with these types.
#include <boost/describe/class.hpp>
#include <boost/mp11/list.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../../event.hpp"

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

// Every operation that has its types (the rest of docs/reception.md's table still reads its
// message by hand): the ledger dispatches them and the docs test reads their fields from here.
using LedgerOperations =
    boost::mp11::mp_list<Receive, Lease, Settle, Authorize, LiveTicket, LiveTake, Prune, AuditVerify>;

}  // namespace frontdesk::objects::protocol
