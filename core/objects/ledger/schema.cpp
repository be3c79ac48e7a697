// The ledger's tables, created on first use and upgraded when schema_version moves, and
// the registry and lists seeded from the tenant's configuration.
#include <array>
#include <boost/json.hpp>

#include "../../crypto/primitives.hpp"
#include "../../encoding.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr int schema_version = 11;

// Set-up runs inside the object call's transaction, so an upgrade is applied whole or not
// at all. Every statement here is idempotent; the ALTERs below are not, and run only when
// upgrading from a version before theirs.
constexpr std::array<std::string_view, 29> schema{
    "CREATE TABLE IF NOT EXISTS events ("
    "seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, "
    "provider TEXT NOT NULL, provider_event_id TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL, "
    "tenant TEXT NOT NULL, occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, call_id TEXT NOT NULL, "
    "message_id TEXT NOT NULL, from_number TEXT NOT NULL, to_number TEXT NOT NULL, direction TEXT NOT NULL, "
    "text TEXT NOT NULL, stir_attestation TEXT NOT NULL, stir_verified TEXT NOT NULL, payload TEXT NOT NULL, "
    "UNIQUE (source, provider_event_id))",
    "CREATE TABLE IF NOT EXISTS identities (id TEXT PRIMARY KEY, phone TEXT NOT NULL UNIQUE, "
    "first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, calls INTEGER NOT NULL DEFAULT 0, "
    "messages INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS registry (phone TEXT PRIMARY KEY, namespace TEXT NOT NULL, "
    "updated_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS lists (list TEXT NOT NULL, phone TEXT NOT NULL, updated_at TEXT NOT NULL, "
    "PRIMARY KEY (list, phone))",
    "CREATE INDEX IF NOT EXISTS lists_by_phone ON lists (phone)",
    "CREATE TABLE IF NOT EXISTS calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, call_key TEXT NOT NULL UNIQUE, "
    "call_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, provider TEXT NOT NULL, provider_call_id TEXT NOT NULL, "
    "from_number TEXT NOT NULL, to_number TEXT NOT NULL, direction TEXT NOT NULL, state TEXT NOT NULL, "
    "started_at TEXT NOT NULL, started_ms INTEGER NOT NULL, updated_at TEXT NOT NULL, outcome TEXT, "
    "action TEXT, trust_score INTEGER, record TEXT NOT NULL)",
    // By caller in insertion order: the `from` filter pages without sorting, and screening
    // reads a caller's history from it.
    "DROP INDEX IF EXISTS calls_by_caller",
    "CREATE INDEX IF NOT EXISTS calls_by_caller_seq ON calls (from_number, seq)",
    "CREATE INDEX IF NOT EXISTS calls_by_start ON calls (started_ms)",
    "CREATE INDEX IF NOT EXISTS calls_by_state ON calls (state, seq)",
    "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
    "message_key TEXT NOT NULL UNIQUE, message_id TEXT NOT NULL UNIQUE, provider_message_id TEXT NOT NULL, "
    "event_id TEXT NOT NULL, "
    "source TEXT NOT NULL, provider TEXT NOT NULL, from_number TEXT NOT NULL, to_number TEXT NOT NULL, "
    "direction TEXT NOT NULL, text TEXT NOT NULL, received_at TEXT NOT NULL, intent TEXT NOT NULL, "
    "sentiment TEXT NOT NULL, priority TEXT NOT NULL, analysis TEXT NOT NULL, auto_reply TEXT)",
    "CREATE INDEX IF NOT EXISTS messages_by_sender ON messages (from_number, seq)",
    "CREATE TABLE IF NOT EXISTS auto_replies (sender TEXT PRIMARY KEY, last_at_ms INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, "
    "subject TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS audit_by_subject ON audit (subject, kind)",
    "CREATE TABLE IF NOT EXISTS outbound (seq INTEGER PRIMARY KEY AUTOINCREMENT, command_id TEXT NOT NULL UNIQUE, "
    "lane TEXT NOT NULL, provider TEXT NOT NULL, action TEXT NOT NULL, method TEXT NOT NULL, url TEXT NOT NULL, "
    "body TEXT NOT NULL, auth TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
    "next_at_ms INTEGER NOT NULL, last_status INTEGER, last_error TEXT, created_at TEXT NOT NULL, "
    "updated_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS outbound_by_status ON outbound (status, seq)",
    "CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "scopes TEXT NOT NULL, created_at TEXT NOT NULL, expires_at_ms INTEGER, last_used_at INTEGER, "
    "revoked_at TEXT, rate_limit INTEGER, created_by TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rate_windows (token_id TEXT PRIMARY KEY, window_start_ms INTEGER NOT NULL, "
    "count INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, reply TEXT NOT NULL, "
    "created_ms INTEGER NOT NULL)",
    // Fan-out (fanout.cpp): the tenant's endpoints, the events they may get (kept for replay),
    // one delivery per event and endpoint, and every attempt of it. `events` is a filter
    // written ",type,type," ('' for every type) so one instr() matches it on every host.
    "CREATE TABLE IF NOT EXISTS endpoints (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, "
    "url TEXT NOT NULL, events TEXT NOT NULL, description TEXT NOT NULL, enabled INTEGER NOT NULL, "
    "disabled_reason TEXT, secret TEXT NOT NULL, previous_secret TEXT, previous_until_ms INTEGER NOT NULL DEFAULT 0, "
    "failing_since_ms INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fanout_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, "
    "type TEXT NOT NULL, body TEXT NOT NULL, created_ms INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS fanout_events_by_time ON fanout_events (created_ms)",
    "CREATE TABLE IF NOT EXISTS deliveries (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, "
    "endpoint_id TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL, status TEXT NOT NULL, "
    "attempts INTEGER NOT NULL DEFAULT 0, next_at_ms INTEGER NOT NULL, leased_until_ms INTEGER NOT NULL DEFAULT 0, "
    "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_at_ms)",
    "CREATE INDEX IF NOT EXISTS deliveries_by_endpoint ON deliveries (endpoint_id, seq)",
    "CREATE TABLE IF NOT EXISTS delivery_attempts (seq INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id TEXT NOT NULL, "
    "at TEXT NOT NULL, status_code INTEGER, duration_ms INTEGER NOT NULL, error TEXT)",
    "CREATE INDEX IF NOT EXISTS delivery_attempts_by_delivery ON delivery_attempts (delivery_id, seq)",
    // The console's live WebSocket (live.cpp): tickets by their SHA-256, single use.
    "CREATE TABLE IF NOT EXISTS live_tickets (hash TEXT PRIMARY KEY, types TEXT NOT NULL, expires_ms INTEGER NOT NULL)",
};

struct Alteration {
  int since;  // the schema version that added it
  std::string_view statement;
};
constexpr std::array<Alteration, 27> alterations{{
    // A command handed to the sender is leased until then (0: not leased).
    {4, "ALTER TABLE outbound ADD COLUMN leased_until_ms INTEGER NOT NULL DEFAULT 0"},
    // What the provider says of the message or call, its error code, and every recipient.
    {5, "ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT ''"},
    {5, "ALTER TABLE events ADD COLUMN error_code TEXT NOT NULL DEFAULT ''"},
    {5, "ALTER TABLE events ADD COLUMN recipients TEXT NOT NULL DEFAULT '[]'"},
    {5, "ALTER TABLE events ADD COLUMN media_url TEXT NOT NULL DEFAULT ''"},
    {5, "ALTER TABLE events ADD COLUMN duration_s INTEGER"},
    // A text's lifecycle (message_status.cpp): where it stands and the provider's error code,
    // as its status events say; found by the provider's id, as are its events.
    {5, "ALTER TABLE messages ADD COLUMN status TEXT NOT NULL DEFAULT ''"},
    {5, "ALTER TABLE messages ADD COLUMN error_code TEXT NOT NULL DEFAULT ''"},
    {5, "CREATE INDEX IF NOT EXISTS messages_by_provider_id ON messages (provider_message_id)"},
    {5, "ALTER TABLE messages ADD COLUMN recipients TEXT NOT NULL DEFAULT '[]'"},
    {5, "CREATE INDEX IF NOT EXISTS events_by_message ON events (message_id)"},
    // The text a command sends, whose provider id its answer carries.
    {5, "ALTER TABLE outbound ADD COLUMN message_key TEXT NOT NULL DEFAULT ''"},
    // Twilio's API takes forms.
    {5, "ALTER TABLE outbound ADD COLUMN content_type TEXT NOT NULL DEFAULT 'application/json'"},
    // The console's charts and the metrics (stats.cpp): windows of texts and webhooks by
    // time, and a call's talk time.
    {7, "CREATE INDEX IF NOT EXISTS messages_by_time ON messages (received_at)"},
    {7, "CREATE INDEX IF NOT EXISTS events_by_time ON events (received_at)"},
    {7, "ALTER TABLE calls ADD COLUMN duration_s INTEGER"},
    // Fan-out's retention (fanout.cpp, retention_prunes): finished deliveries by age.
    {8, "CREATE INDEX IF NOT EXISTS deliveries_finished ON deliveries (status, updated_at)"},
    // The alarm's next time (outbound.cpp, next_due) reads the few leased commands and
    // deliveries here, not every pending one.
    {9, "CREATE INDEX IF NOT EXISTS outbound_leased ON outbound (leased_until_ms) "
        "WHERE status = 'pending' AND leased_until_ms > 0"},
    {9, "CREATE INDEX IF NOT EXISTS deliveries_leased ON deliveries (leased_until_ms) "
        "WHERE status = 'pending' AND leased_until_ms > 0"},
    // Retention (retention.cpp): what it may let go, found by age without reading what it
    // already let go or must keep.
    {10, "CREATE INDEX IF NOT EXISTS events_payload_kept ON events (received_at) WHERE payload <> ''"},
    {10, "CREATE INDEX IF NOT EXISTS outbound_finished ON outbound (status, updated_at)"},
    {10, "CREATE INDEX IF NOT EXISTS idempotency_by_time ON idempotency (created_ms)"},
    // The sender's indexes hold only what waits: a sent command leaves them, so they stay a
    // few pages however long the history, and each command adds one entry fewer than when
    // they held every command (every entry is a page written per commit, and again when
    // the WAL is copied back). outbound_by_lane served no query.
    {11, "DROP INDEX IF EXISTS outbound_by_lane"},
    {11, "DROP INDEX IF EXISTS outbound_due"},
    {11, "DROP INDEX IF EXISTS outbound_lane_status"},
    // Due commands in retry-time order (next_due, due_commands).
    {11, "CREATE INDEX IF NOT EXISTS outbound_pending_due ON outbound (next_at_ms) WHERE status = 'pending'"},
    // A lane's first pending command, looked up for every pending one when leasing.
    {11, "CREATE INDEX IF NOT EXISTS outbound_pending_lane ON outbound (lane, seq) WHERE status = 'pending'"},
}};

// "" (a new database) is version 0.
int version_of(std::string_view text) {
  int version = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return 0;
    version = version * 10 + (c - '0');
  }
  return version;
}

// What the configuration seeds, in a canonical form: its hash tells whether it changed.
std::string seed_document(const reception::TenantPolicy& policy) {
  json::object registry;
  for (const auto& [phone, name] : policy.registry) registry[phone] = name;
  json::array allow;
  for (const auto& phone : policy.allow) allow.emplace_back(phone);
  json::array block;
  for (const auto& phone : policy.block) block.emplace_back(phone);
  return json::serialize(json::object{{"registry", registry}, {"allow", allow}, {"block", block}});
}

SqlExec put_meta(std::string key, std::string value) {
  return {"INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          {std::move(key), std::move(value)}};
}

// Entries already there (edited since, or added natively) are kept: the configuration
// only fills what is missing.
void seed(std::vector<SqlExec>& statements, const reception::TenantPolicy& policy) {
  for (const auto& [phone, name] : policy.registry) {
    statements.push_back({"INSERT INTO registry (phone, namespace, updated_at) VALUES (?, ?, '') "
                          "ON CONFLICT (phone) DO NOTHING",
                          {phone, name}});
  }
  using Phones = std::set<std::string, std::less<>>;
  const std::array<std::pair<std::string_view, const Phones*>, 2> lists{{{"allow", &policy.allow}, {"block", &policy.block}}};
  for (const auto& [list, phones] : lists) {
    for (const auto& phone : *phones) {
      statements.push_back({"INSERT INTO lists (list, phone, updated_at) VALUES (?, ?, '') "
                            "ON CONFLICT (list, phone) DO NOTHING",
                            {std::string(list), phone}});
    }
  }
}

}  // namespace

Task<Result<void>> prepare(ObjectContext& context) {
  std::vector<SqlExec> look{{"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", {}},
                            {"SELECT key, value FROM meta WHERE key IN ('schema_version', 'seed')", {}}};
  auto looked = co_await sql_batch(context.fx, std::move(look));
  FRONTDESK_CO_CHECK(first_failure(looked));
  int version = 0;
  std::string seeded;
  const auto& meta = *looked[1];
  for (std::size_t row = 0; row < meta.rows.size(); ++row) {
    const auto key = text_of(cell(meta, "key", row));
    if (key == "schema_version") version = version_of(text_of(cell(meta, "value", row)));
    if (key == "seed") seeded = text_of(cell(meta, "value", row));
  }
  std::vector<SqlExec> statements;
  if (version != schema_version) {
    for (const auto statement : schema) statements.push_back({std::string(statement), {}});
    for (const auto& alteration : alterations) {
      if (version < alteration.since) statements.push_back({std::string(alteration.statement), {}});
    }
    statements.push_back(put_meta("schema_version", std::to_string(schema_version)));
  }
  // A new instance: whatever an earlier one leased died with its sender. Only pending rows
  // hold leases (settling clears them), and so the partial indexes *_leased find them
  // without a pass over every command and delivery the tenant ever had.
  statements.push_back({"UPDATE outbound INDEXED BY outbound_leased SET leased_until_ms = 0 "
                        "WHERE status = 'pending' AND leased_until_ms > 0",
                        {}});
  statements.push_back({"UPDATE deliveries INDEXED BY deliveries_leased SET leased_until_ms = 0 "
                        "WHERE status = 'pending' AND leased_until_ms > 0",
                        {}});
  // Only a ledger whose tenant the configuration names is seeded: a command-line tool run
  // without the configuration must not mark the seed as applied.
  const auto tenant = context.app.settings().tenants.find(context.id);
  if (tenant != context.app.settings().tenants.end()) {
    const auto digest = hex_encode(crypto::bytes_of(crypto::sha256(seed_document(tenant->second.policy))));
    if (digest != seeded) {
      seed(statements, tenant->second.policy);
      statements.push_back(put_meta("seed", digest));
    }
  }
  co_return first_failure(co_await sql_batch(context.fx, std::move(statements)));
}

}  // namespace frontdesk::objects::ledger
