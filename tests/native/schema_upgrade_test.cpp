// A ledger written by schema version 4 (before events had status, recipients and media,
// messages their status, and commands their message and content type) is upgraded in place
// by its next call: what it held is still read, and new deliveries use the new columns.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "host.hpp"
#include "object_database.hpp"
#include "core/objects/ledger/protocol.hpp"
#include "core/objects/protocol.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
namespace json = boost::json;

namespace {

constexpr std::string_view config = R"({
  "sources": {"openphone": {"kind": "openphone", "secrets": ["c2VjcmV0"]}},
  "tenants": {"acme": {"numbers": ["+18886115384"], "policy": {"screening": "open"}}}
})";

// The version 4 tables the upgrade alters, as version 4 created them, with a row each.
constexpr std::string_view version_4 =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO meta VALUES ('schema_version', '4');"
    "CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, "
    "provider TEXT NOT NULL, provider_event_id TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL, "
    "tenant TEXT NOT NULL, occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, call_id TEXT NOT NULL, "
    "message_id TEXT NOT NULL, from_number TEXT NOT NULL, to_number TEXT NOT NULL, direction TEXT NOT NULL, "
    "text TEXT NOT NULL, stir_attestation TEXT NOT NULL, stir_verified TEXT NOT NULL, payload TEXT NOT NULL, "
    "UNIQUE (source, provider_event_id));"
    "INSERT INTO events (event_id, source, provider, provider_event_id, kind, type, tenant, occurred_at, received_at, "
    "call_id, message_id, from_number, to_number, direction, text, stir_attestation, stir_verified, payload) VALUES "
    "('evt_old', 'openphone', 'openphone', 'EVold', 'message', 'message.received', 'acme', '2026-11-01T00:00:00Z', "
    "'2026-11-01T00:00:00Z', '', 'ACold', '+15555550140', '+18886115384', 'inbound', 'Hello', '', '', '{}');"
    "CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, message_key TEXT NOT NULL UNIQUE, "
    "message_id TEXT NOT NULL UNIQUE, provider_message_id TEXT NOT NULL, event_id TEXT NOT NULL, "
    "source TEXT NOT NULL, provider TEXT NOT NULL, from_number TEXT NOT NULL, to_number TEXT NOT NULL, "
    "direction TEXT NOT NULL, text TEXT NOT NULL, received_at TEXT NOT NULL, intent TEXT NOT NULL, "
    "sentiment TEXT NOT NULL, priority TEXT NOT NULL, analysis TEXT NOT NULL, auto_reply TEXT);"
    "INSERT INTO messages (message_key, message_id, provider_message_id, event_id, source, provider, from_number, "
    "to_number, direction, text, received_at, intent, sentiment, priority, analysis) VALUES ('openphone:ACold', "
    "'msg_old', 'ACold', 'evt_old', 'openphone', 'openphone', '+15555550140', '+18886115384', 'inbound', 'Hello', "
    "'2026-11-01T00:00:00Z', 'other', 'neutral', 'normal', 'null');"
    "CREATE TABLE outbound (seq INTEGER PRIMARY KEY AUTOINCREMENT, command_id TEXT NOT NULL UNIQUE, "
    "lane TEXT NOT NULL, provider TEXT NOT NULL, action TEXT NOT NULL, method TEXT NOT NULL, url TEXT NOT NULL, "
    "body TEXT NOT NULL, auth TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
    "next_at_ms INTEGER NOT NULL, last_status INTEGER, last_error TEXT, created_at TEXT NOT NULL, "
    "updated_at TEXT NOT NULL, leased_until_ms INTEGER NOT NULL DEFAULT 0);"
    // The sender's indexes before version 11, which held every command ever queued.
    "CREATE INDEX outbound_due ON outbound (status, next_at_ms);"
    "CREATE INDEX outbound_by_lane ON outbound (lane, seq);"
    "CREATE INDEX outbound_lane_status ON outbound (lane, status, seq);";

json::object group_text() {
  Event event;
  event.event_id = "evt_new";
  event.source = "openphone";
  event.provider = "openphone";
  event.provider_event_id = "EVnew";
  event.kind = EventKind::message;
  event.type = "message.received";
  event.tenant = "acme";
  event.message_id = "ACnew";
  event.from = "+15555550141";
  event.to = "+18886115384";
  event.recipients = {"+18886115384", "+15555550142"};
  event.direction = Direction::inbound;
  event.text = "Are you open?";
  event.status = "received";
  event.occurred_at = "2026-11-29T00:00:00Z";
  event.received_at = "2026-11-29T00:00:00Z";
  return json::parse(objects::protocol::encode_request<objects::protocol::Receive>({event})).as_object();
}

}  // namespace

TEST_CASE("a version 4 ledger is upgraded by its next call, keeping what it held") {
  TempDir dir;
  boost::asio::io_context io;
  auto created = App::create(config, [](std::string_view) { return std::optional<std::string>{}; });
  REQUIRE(created.ok());
  const App app = std::move(created.value());
  Store store = open_store(dir / "fd.db");
  {
    const auto path = store.object_path({"ledger", "acme"});
    std::filesystem::create_directories(path.parent_path());
    auto old = ObjectDatabase::open(path);
    REQUIRE(old.ok());
    for (std::size_t start = 0; start < version_4.size();) {
      const auto end = version_4.find(';', start);
      SqlExec statement{std::string(version_4.substr(start, end - start)), {}};
      REQUIRE((*old)->exec(statement).ok());
      start = end + 1;
    }
  }
  HostOptions options;
  options.log = [](std::string_view) {};
  Host host{io, app, store, options};
  const auto call = [&](const json::object& message) {
    std::optional<ObjectReply> reply;
    host.call_object({"ledger", "acme"}, json::serialize(message), [&](ObjectReply r) { reply = std::move(r); });
    io.restart();
    io.run_for(std::chrono::milliseconds(500));
    REQUIRE(reply);
    INFO((reply->ok() ? reply->value() : reply->error().message));
    REQUIRE(reply->ok());
    return json::parse(reply->value()).as_object();
  };

  const auto received = call(group_text());
  CHECK(received.at("duplicate") == false);
  const auto events = call({{"op", "list_events"}, {"limit", 10}}).at("events").as_array();
  REQUIRE(events.size() == 2);
  CHECK(events[0].at("event_id") == "evt_new");
  CHECK(events[0].at("recipients") == json::array{"+18886115384", "+15555550142"});
  CHECK(events[1].at("event_id") == "evt_old");
  CHECK(events[1].at("recipients") == json::array{});
  CHECK(events[1].at("status") == "");
  const auto messages = call({{"op", "list_messages"}, {"limit", 10}}).at("messages").as_array();
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].at("status") == "received");
  CHECK(messages[0].at("recipients") == json::array{"+18886115384", "+15555550142"});
  CHECK(messages[1].at("id") == "msg_old");
  CHECK(messages[1].at("status") == "");
  CHECK(call({{"op", "list_outbound"}}).at("outbound").as_array().empty());

  // Version 11: the sender's indexes hold only what waits, and the unused lane index is gone.
  auto db = store.object({"ledger", "acme"});
  REQUIRE(db.ok());
  const auto indexes = (*db)->exec({"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbound' "
                                    "AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                    {}});
  REQUIRE(indexes.ok());
  std::vector<std::string> names;
  for (const auto& row : indexes->rows) names.push_back(std::get<std::string>(row.front()));
  CHECK(names == std::vector<std::string>{"outbound_by_status", "outbound_finished", "outbound_leased",
                                          "outbound_pending_due", "outbound_pending_lane"});
}
