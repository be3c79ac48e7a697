// The host driven in-process: routes, health checks, faults, objects.
#include <catch2/catch.hpp>
#include <string>

#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;

namespace {

constexpr std::string_view shallow_health = R"({"status":"ok","version":"0.1.0","target":"native"})";
constexpr std::string_view deep_health =
    R"({"status":"ok","version":"0.1.0","target":"native","checks":{"kv":{"ok":true},"objects":{"ok":true},"sql":{"ok":true}}})";

Faults faults_of(FaultClass fault) {
  Faults faults;
  faults.add(fault);
  return faults;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

TEST_CASE("GET /health answers the build facts", "[host][health]") {
  HostFixture fixture;
  const auto response = fixture.request("GET", "/health");
  CHECK(response.status == 200);
  CHECK(response.body == shallow_health);
  CHECK(response.headers.get("content-type") == std::optional<std::string_view>("application/json"));
}

TEST_CASE("GET /health?deep=1 checks kv, objects and sql for real", "[host][health]") {
  HostFixture fixture;
  const auto response = fixture.request("GET", "/health?deep=1");
  CHECK(response.status == 200);
  CHECK(response.body == deep_health);
  CHECK(response.headers.get("content-type") == std::optional<std::string_view>("application/json"));
  // The checks wrote for real: the probe object has its own database file.
  CHECK(std::filesystem::exists(fixture.store.object_path({"health", "probe"})));
  CHECK(fixture.store.kv_list("frontdesk:health:probe", "", 10).value().keys.size() == 1);
  CHECK(fixture.host.sessions_in_flight() == 0);
}

TEST_CASE("a storage fault degrades the deep health check", "[host][health][faults]") {
  HostFixture fixture(faults_of(FaultClass::storage));
  const auto response = fixture.request("GET", "/health?deep=1");
  CHECK(response.status == 503);
  CHECK(contains(response.body, R"("status":"degraded")"));
  CHECK(contains(response.body, R"("objects":{"ok":false,"error":"storage_unavailable"})"));
  CHECK(contains(response.body, R"("kv":{"ok":true})"));
  CHECK(contains(response.body, R"("sql":{"ok":true})"));
}

TEST_CASE("a kv fault degrades the deep health check", "[host][health][faults]") {
  HostFixture fixture(faults_of(FaultClass::kv));
  const auto response = fixture.request("GET", "/health?deep=1");
  CHECK(response.status == 503);
  CHECK(contains(response.body, R"("status":"degraded")"));
  CHECK(contains(response.body, R"("kv":{"ok":false,"error":"storage_unavailable"})"));
  CHECK(contains(response.body, R"("objects":{"ok":true})"));
}

TEST_CASE("an sql fault degrades the deep health check", "[host][health][faults]") {
  HostFixture fixture(faults_of(FaultClass::sql));
  const auto response = fixture.request("GET", "/health?deep=1");
  CHECK(response.status == 503);
  CHECK(contains(response.body, R"("status":"degraded")"));
  CHECK(contains(response.body, R"("sql":{"ok":false,"error":"storage_unavailable"})"));
  CHECK(contains(response.body, R"("objects":{"ok":true})"));
}

TEST_CASE("an objects fault fails both object checks", "[host][health][faults]") {
  HostFixture fixture(faults_of(FaultClass::objects));
  const auto response = fixture.request("GET", "/health?deep=1");
  CHECK(response.status == 503);
  CHECK(contains(response.body, R"("objects":{"ok":false,"error":"storage_unavailable"})"));
  CHECK(contains(response.body, R"("sql":{"ok":false,"error":"storage_unavailable"})"));
  CHECK(contains(response.body, R"("kv":{"ok":true})"));
}

TEST_CASE("faults leave the shallow health check alone", "[host][health][faults]") {
  Faults all;
  for (const auto name : fault_class_names) all.add(*parse_fault_class(name));
  HostFixture fixture(all);
  CHECK(fixture.request("GET", "/health").status == 200);
}

TEST_CASE("an unknown route is a 404 JSON error", "[host][routes]") {
  HostFixture fixture;
  const auto response = fixture.request("GET", "/no/such/thing");
  CHECK(response.status == 404);
  CHECK(contains(response.body, R"({"error":{"code":"not_found","message":)"));
  CHECK(response.headers.get("content-type") == std::optional<std::string_view>("application/json"));
}

TEST_CASE("POST /health is a 405 that names the allowed method", "[host][routes]") {
  HostFixture fixture;
  const auto response = fixture.request("POST", "/health", "{}");
  CHECK(response.status == 405);
  CHECK(response.headers.get("allow") == std::optional<std::string_view>("GET"));
  CHECK(contains(response.body, R"("code":"method_not_allowed")"));
}

TEST_CASE("many deep health checks at once all pass", "[host][objects]") {
  HostFixture fixture;
  std::vector<std::optional<Response>> responses(20);
  for (auto& slot : responses) {
    fixture.host.handle(make_request("GET", "/health?deep=1"), [&slot](Response r) { slot = std::move(r); });
  }
  fixture.io.run();
  for (const auto& response : responses) {
    REQUIRE(response.has_value());
    CHECK(response->status == 200);
    CHECK(response->body == deep_health);
  }
  CHECK(fixture.host.sessions_in_flight() == 0);
}

TEST_CASE("an object call replies and commits its writes", "[host][objects]") {
  HostFixture fixture;
  const ObjectKey probe{"health", "probe"};
  const auto reply = fixture.call(probe, R"({"check":"storage","nonce":"n-1"})");
  REQUIRE(reply.ok());
  CHECK(reply.value() == "n-1");
  auto db = fixture.store.object(probe);
  REQUIRE(db.ok());
  CHECK_FALSE((*db)->in_transaction());
  CHECK((*db)->get("health:probe").value() == std::optional<std::string>("n-1"));
}

TEST_CASE("an object's error reply reaches the caller", "[host][objects]") {
  HostFixture fixture;
  const auto unknown_kind = fixture.call({"no-such-kind", "x"}, "{}");
  REQUIRE_FALSE(unknown_kind.ok());
  CHECK(unknown_kind.error().code == ErrorCode::not_found);
  const auto bad_message = fixture.call({"health", "probe"}, "not json");
  REQUIRE_FALSE(bad_message.ok());
  CHECK(bad_message.error().code == ErrorCode::malformed_body);
}

// Calls queued into one object share a transaction, each in its own savepoint: the one
// that fails is undone alone, and no reply leaves before the commit that holds the calls
// queued with it (so a caller never sees a write that could still be rolled back).
TEST_CASE("calls queued into an object commit together; a failed one is undone alone", "[host][objects]") {
  Faults faults;
  faults.add_nth_sql(5);  // the second call's INSERT (each probe runs CREATE, INSERT, SELECT)
  HostFixture fixture(faults);
  const ObjectKey probe{"health", "probe"};
  const auto path = fixture.store.object_path(probe);
  std::vector<std::string> replies;
  std::optional<std::string> committed_at_first_reply;  // at the first reply that succeeded
  for (const auto* nonce : {"n-1", "n-2", "n-3"}) {
    fixture.host.call_object(probe, std::string(R"({"check":"sql","nonce":")") + nonce + R"("})",
                             [&](ObjectReply reply) {
                               if (reply && !committed_at_first_reply) {
                                 // What another connection reads when n-1's reply leaves.
                                 auto reader = Database::open(path);
                                 REQUIRE(reader.ok());
                                 auto row = reader->prepare("SELECT nonce FROM health_probe WHERE id = 1");
                                 REQUIRE(row.ok());
                                 REQUIRE(row->step().value());
                                 committed_at_first_reply = row->column_text(0);
                               }
                               replies.push_back(reply ? reply.value() : "error:" + std::string(error_code_name(reply.error().code)));
                             });
  }
  fixture.io.run();
  // The failed call answers first: it waits for no commit.
  CHECK(replies == std::vector<std::string>{"error:storage_unavailable", "n-1", "n-3"});
  CHECK(committed_at_first_reply == std::optional<std::string>("n-3"));
  auto db = fixture.store.object(probe);
  REQUIRE(db.ok());
  CHECK_FALSE((*db)->in_transaction());
}

TEST_CASE("object storage survives a restart of the host", "[host][objects]") {
  TempDir dir;
  const auto db_path = dir / "fd.db";
  const ObjectKey probe{"health", "probe"};
  const auto app = test_app();
  {
    boost::asio::io_context io;
    auto store = open_store(db_path);
    Host host(io, app, store, Faults{});
    std::optional<ObjectReply> storage, sql;
    host.call_object(probe, R"({"check":"storage","nonce":"kept"})", [&](ObjectReply r) { storage = std::move(r); });
    host.call_object(probe, R"({"check":"sql","nonce":"kept-too"})", [&](ObjectReply r) { sql = std::move(r); });
    io.run();
    REQUIRE(storage.has_value());
    REQUIRE(sql.has_value());
    CHECK(storage->value() == "kept");
    CHECK(sql->value() == "kept-too");
  }
  {
    auto store = open_store(db_path);
    auto db = store.object(probe);
    REQUIRE(db.ok());
    CHECK((*db)->get("health:probe").value() == std::optional<std::string>("kept"));
    const auto rows = (*db)->exec({"SELECT nonce FROM health_probe", {}});
    REQUIRE(rows.ok());
    REQUIRE(rows->rows.size() == 1);
    CHECK(rows->rows[0][0] == SqlValue{std::string("kept-too")});

    // And a new host over the same files keeps serving them.
    boost::asio::io_context io;
    Host host(io, app, store, Faults{});
    std::optional<Response> response;
    host.handle(make_request("GET", "/health?deep=1"), [&](Response r) { response = std::move(r); });
    io.run();
    REQUIRE(response.has_value());
    CHECK(response->body == deep_health);
  }
}

TEST_CASE("an alarm runs in its object", "[host][alarms]") {
  HostFixture fixture;
  std::optional<ObjectReply> reply;
  // The health kind sets no alarms: its alarm answers with an empty reply.
  fixture.host.run_alarm({"health", "probe"}, [&](ObjectReply r) { reply = std::move(r); });
  fixture.io.run();
  REQUIRE(reply.has_value());
  CHECK(reply->ok());
}
