#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <chrono>
#include <sstream>
#include <string>

#include "core/objects/ledger/parts.hpp"
#include "host.hpp"
#include "core/objects/ledger/protocol.hpp"
#include "core/objects/protocol.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
namespace json = boost::json;

namespace {

// A provider nobody listens for (connection refused at once), and retries a minute apart.
constexpr std::string_view config = R"({
  "sources": {"telnyx": {"kind": "telnyx", "public_keys": ["11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="]}},
  "tenants": {"acme": {"numbers": ["+18886115384"], "policy": {"screening": "open"}}},
  "providers": {"telnyx": {"api_key": "KEYfake", "base_url": "http://127.0.0.1:9"}},
  "outbound": {"max_attempts": 5, "base_delay_ms": 60000, "max_delay_ms": 600000}
})";

App queue_app() {
  auto created = App::create(config, [](std::string_view) { return std::optional<std::string>{}; });
  REQUIRE(created.ok());
  return std::move(created.value());
}

HostOptions quiet() {
  HostOptions options;
  options.log = [](std::string_view) {};
  return options;
}

struct Queue {
  TempDir dir;
  boost::asio::io_context io;
  App app = queue_app();
  Store store = open_store(dir / "fd.db");
  Host host{io, app, store, quiet()};

  // Calls the ledger and lets the io_context run a while, so a due alarm runs too.
  json::object ledger(const json::object& message) {
    std::optional<ObjectReply> reply;
    host.call_object({"ledger", "acme"}, json::serialize(message), [&](ObjectReply r) { reply = std::move(r); });
    io.restart();
    io.run_for(std::chrono::milliseconds(1500));
    REQUIRE(reply);
    REQUIRE(reply->ok());
    return json::parse(reply->value()).as_object();
  }
};

// A new inbound call from an unknown caller: the open policy answers it, so one Telnyx
// command is queued in the call's own lane.
json::object new_call(int n) {
  const auto id = std::to_string(n);
  Event event;
  event.event_id = "evt_" + id;
  event.source = "telnyx";
  event.provider = "telnyx";
  event.provider_event_id = "e" + id;
  event.kind = EventKind::call;
  event.type = "call.initiated";
  event.tenant = "acme";
  event.call_id = "c" + id;
  event.from = "+1555555014" + id;
  event.to = "+18886115384";
  event.direction = Direction::inbound;
  event.occurred_at = "2026-11-21T00:00:00Z";
  event.received_at = "2026-11-21T00:00:00Z";
  return json::parse(objects::protocol::encode_request<objects::protocol::Receive>({event})).as_object();
}

}  // namespace

TEST_CASE("the due commands of different calls go out together; the alarm waits for their retries") {
  Queue queue;
  // Queued together: the alarm they set runs after all three calls.
  for (const auto n : {1, 2, 3}) {
    queue.host.call_object({"ledger", "acme"}, json::serialize(new_call(n)), [](const ObjectReply& reply) {
      CHECK(reply.ok());
    });
  }
  queue.io.run_for(std::chrono::milliseconds(1500));
  const auto listed = queue.ledger({{"op", "list_outbound"}, {"status", "pending"}});
  const auto& entries = listed.at("outbound").as_array();
  REQUIRE(entries.size() == 3);
  const auto retry_at = entries[0].at("next_at_ms").as_int64();
  for (const auto& entry : entries) {
    INFO(json::serialize(entry));
    CHECK(entry.at("attempts") == 1);
    CHECK(entry.at("last_status").is_null());
    CHECK_FALSE(entry.at("last_error").as_string().empty());
    CHECK(entry.at("next_at_ms") == retry_at);
  }
  // One alarm, at the retry a minute away: nothing runs in between.
  const auto alarms = queue.store.alarms();
  REQUIRE(alarms.ok());
  REQUIRE(alarms->size() == 1);
  CHECK(alarms->front().at_ms == retry_at);
}

// With thousands of commands waiting (a burst of calls), each alarm run must not read them
// all: the next time and the lease read a few index entries. A plan that scans the table or
// sorts it made every lease cost milliseconds per 10 commands.
TEST_CASE("the alarm's queries read indexes, never every waiting command") {
  Queue queue;
  queue.ledger(new_call(1));  // the ledger's tables exist
  auto db = queue.store.object({"ledger", "acme"});
  REQUIRE(db.ok());
  const std::vector<SqlExec> queries{objects::ledger::next_due(), objects::ledger::due_commands(0),
                                     objects::ledger::due_deliveries(0),
                                     objects::ledger::leased_commands({"cmd_a", "cmd_b", "cmd_c"})};
  for (const auto& query : queries) {
    INFO(query.sql);
    SqlExec plan{"EXPLAIN QUERY PLAN " + query.sql, query.params};
    auto rows = (*db)->exec(plan);
    REQUIRE(rows.ok());
    std::string details;
    for (const auto& row : rows->rows) details += std::get<std::string>(row.back()) + "\n";
    INFO(details);
    // No table is scanned. The scans allowed walk the index of pending commands in
    // retry-time order (stopping at the first that may go) or a subquery's LIMIT 1 result.
    std::istringstream lines(details);
    for (std::string line; std::getline(lines, line);) {
      if (line.find("SCAN ") == std::string::npos || line.starts_with("SCAN (subquery-")) continue;
      CHECK(line == "SCAN o USING INDEX outbound_pending_due");
    }
    CHECK(details.find("TEMP B-TREE") == std::string::npos);
    if (query.sql == objects::ledger::next_due().sql) {
      // The leased ones by their partial indexes, not among every pending one.
      CHECK(details.find("INDEX outbound_leased") != std::string::npos);
      CHECK(details.find("INDEX deliveries_leased") != std::string::npos);
    }
    if (query.sql == objects::ledger::leased_commands({"cmd_a", "cmd_b", "cmd_c"}).sql) {
      // By command id, not among every pending one by status.
      CHECK(details.find("outbound_by_status") == std::string::npos);
      CHECK(details.find("outbound_pending_due") == std::string::npos);
      CHECK(details.find("autoindex_outbound") != std::string::npos);
    }
    if (query.sql == objects::ledger::due_commands(0).sql) {
      // What waits, in retry-time order, and each lane's head, from the indexes that hold
      // only pending commands; never the status index, which holds every command sent.
      CHECK(details.find("INDEX outbound_pending_due") != std::string::npos);
      CHECK(details.find("INDEX outbound_pending_lane") != std::string::npos);
      CHECK(details.find("outbound_by_status") == std::string::npos);
    }
  }
}

// What the sender reports for leased commands the provider took (200).
json::array taken(const json::array& commands) {
  json::array results;
  for (const auto& command : commands) {
    results.push_back({{"command_id", command.at("command_id")}, {"sent", true}, {"status", 200}, {"error", ""},
                       {"retry_after_ms", nullptr}, {"provider_id", "v3:call"}});
  }
  return results;
}

// The alarm's sender goes on round after round under load: each settle can lease the next
// batch in the same call, instead of another alarm and another lease call per batch.
TEST_CASE("settle with lease:true judges the answers and hands out the next due batch in the same call") {
  Queue queue;
  queue.host.stop();  // no alarm runs: this test is the sender
  for (int n = 1; n <= 12; ++n) queue.ledger(new_call(n));
  const auto first = queue.ledger({{"op", "lease"}});
  const auto& leased = first.at("commands").as_array();
  REQUIRE(leased.size() == 10);  // a lease's batch
  const auto second =
      queue.ledger({{"op", "settle"}, {"results", taken(leased)}, {"deliveries", json::array{}}, {"lease", true}});
  CHECK(second.at("settled") == 10);
  const auto& next = second.at("commands").as_array();
  REQUIRE(next.size() == 2);  // the two calls the first batch left
  for (const auto& command : next) {
    for (const auto& earlier : leased) CHECK(command.at("command_id") != earlier.at("command_id"));
  }
  CHECK(second.at("deliveries").as_array().empty());
  CHECK(second.contains("now_ms"));

  const auto third =
      queue.ledger({{"op", "settle"}, {"results", taken(next)}, {"deliveries", json::array{}}, {"lease", true}});
  CHECK(third.at("settled") == 2);
  CHECK(third.at("commands").as_array().empty());
  const auto delivered = queue.ledger({{"op", "list_outbound"}, {"status", "delivered"}});
  CHECK(delivered.at("outbound").as_array().size() == 12);
  // Without the flag, settle answers as before.
  const auto plain = queue.ledger({{"op", "settle"}, {"results", json::array{}}, {"deliveries", json::array{}}});
  CHECK(plain == json::object{{"settled", 0}});
}
