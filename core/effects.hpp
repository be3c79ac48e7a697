#pragma once
// The one vocabulary of effects a handler may await (SPEC "Sans-IO core"). The core only
// describes them; a host performs them and hands back an EffectOutput or an Error.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "http.hpp"

namespace frontdesk {

// --- global key-value store (Workers KV; a table natively) ---
struct KvGet {
  std::string key;
};
struct KvPut {
  std::string key;
  std::string value;
  std::optional<std::int64_t> ttl_s;  // expiration, seconds from now
};
struct KvDelete {
  std::string key;
};
struct KvList {
  std::string prefix;
  std::string cursor;  // "" for the first page
  std::uint32_t limit = 1000;
};
struct KvListPage {
  std::vector<std::string> keys;
  std::string cursor;  // "" when complete
  bool operator==(const KvListPage&) const = default;
};

// --- a keyed single-threaded object (Durable Object; an actor natively) ---
struct ObjectCall {
  std::string kind;
  std::string id;
  std::string message;  // the request, usually JSON; the reply is a string too
};

// --- inside an object: its own transactional storage ---
struct StorageGet {
  std::string key;
};
struct StoragePut {
  std::string key;
  std::string value;
};
struct StorageDelete {
  std::string key;
};
struct StorageList {
  std::string prefix;
  std::string start_after;  // exclusive; "" from the start
  std::uint32_t limit = 1000;
};
using StorageEntries = std::vector<std::pair<std::string, std::string>>;

struct SqlBlob {
  std::string bytes;
  bool operator==(const SqlBlob&) const = default;
};
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string, SqlBlob>;
struct SqlExec {
  std::string sql;  // one statement, '?' placeholders
  std::vector<SqlValue> params;
};
struct SqlRows {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlValue>> rows;
  bool operator==(const SqlRows&) const = default;
};
struct AlarmSet {
  std::int64_t at_ms = 0;  // Unix epoch milliseconds
};

// --- outbound HTTP ---
struct FetchRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  // How long to wait for the answer; absent: the host's default (10 s). Fan-out deliveries
  // wait 15 s, as Standard Webhooks senders do.
  std::optional<std::int64_t> timeout_ms;
  // Refuse to connect when the host resolves to a private address (fanout::private_address):
  // a fan-out delivery, unless fanout.allow_private. Hosts that cannot resolve names
  // themselves rely on their network (a Worker's fetch never reaches private addresses).
  bool public_only = false;
};
struct FetchResponse {
  int status = 0;
  Headers headers;
  std::string body;
  // How long the host waited for the answer, when it measured it (fan-out's delivery log).
  std::optional<std::int64_t> elapsed_ms;
};

// --- supplied by the host so tests can fix them ---
struct Now {};
struct Random {
  std::uint32_t bytes = 16;
};
struct Log {
  std::string record;  // one JSON object
};

// --- live updates (the console's WebSocket) ---
// Events an object's call produced, for the sockets the host holds open on that object. The
// host sends them only once the call has committed, each to the sockets whose ticket may see
// its type (docs/wire.md "live.publish").
struct LiveMessage {
  std::string type;  // the event type (core/fanout/catalog.hpp), for the host's filter
  std::string body;  // {"type","timestamp","data"}, as a fan-out delivery's body
};
struct LivePublish {
  std::vector<LiveMessage> messages;
};

using Effect = std::variant<KvGet, KvPut, KvDelete, KvList, ObjectCall, StorageGet, StoragePut, StorageDelete,
                            StorageList, SqlExec, AlarmSet, FetchRequest, Now, Random, Log, LivePublish>;

// What a performed effect gives back; which alternative depends on the effect:
// KvGet/StorageGet → optional<string>; KvPut/KvDelete/StoragePut/StorageDelete/AlarmSet/Log/LivePublish →
// monostate; KvList → KvListPage; ObjectCall → string (reply); StorageList → StorageEntries;
// SqlExec → SqlRows; FetchRequest → FetchResponse; Now → int64 (Unix ms); Random → string.
using EffectOutput = std::variant<std::monostate, std::optional<std::string>, KvListPage, std::string,
                                  StorageEntries, SqlRows, FetchResponse, std::int64_t>;

// The wire name of an effect ("kv.get", "object.call", ...), as in docs/wire.md.
std::string_view effect_name(const Effect& effect);

}  // namespace frontdesk
