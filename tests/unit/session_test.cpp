#include <catch2/catch.hpp>

#include "core/session.hpp"

using namespace frontdesk;

namespace {

App test_app() {
  auto app = App::create("{}", [](std::string_view) { return std::optional<std::string>{}; });
  REQUIRE(app.ok());
  return std::move(app.value());
}

Request get(std::string path, std::string query = {}) {
  Request request;
  request.method = "GET";
  request.path = std::move(path);
  request.query = std::move(query);
  return request;
}

EffectResult ok(std::uint32_t id, EffectOutput output) { return {id, std::move(output)}; }
EffectResult failed(std::uint32_t id, ErrorCode code) { return {id, make_error(code, "injected")}; }

const std::string nonce_bytes("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
const std::string nonce_hex = "0102030405060708";

// Drives /health?deep=1 up to the three concurrent checks and returns their effects.
std::vector<PendingEffect> start_deep_health(Session& session) {
  auto first = session.take_effects();
  REQUIRE(first.size() == 1);
  REQUIRE(std::get<Random>(first[0].effect).bytes == 8);
  session.resume({ok(first[0].id, nonce_bytes)});
  return session.take_effects();
}

}  // namespace

TEST_CASE("GET /health answers at once, without any effect") {
  const auto app = test_app();
  auto session = Session::start(app, get("/health"));
  REQUIRE(session->done());
  CHECK(session->take_effects().empty());
  CHECK(session->response().status == 200);
  CHECK(session->response().headers.get("content-type") == "application/json");
  CHECK(session->response().headers.get("cache-control") == "no-store");
  CHECK(session->response().body == R"({"status":"ok","version":"0.1.0","target":"native"})");
}

TEST_CASE("GET /health?deep=1 runs its three checks in one step and reports each") {
  const auto app = test_app();
  auto session = Session::start(app, get("/health", "deep=1"));
  const auto checks = start_deep_health(*session);
  REQUIRE(checks.size() == 3);
  const auto& put = std::get<KvPut>(checks[0].effect);
  CHECK(put.key == "frontdesk:health:probe:" + nonce_hex);
  CHECK(put.value == nonce_hex);
  CHECK(put.ttl_s == 60);
  const auto& storage_call = std::get<ObjectCall>(checks[1].effect);
  CHECK(storage_call.kind == "health");
  CHECK(storage_call.id == "probe");
  CHECK(storage_call.message == R"({"check":"storage","nonce":"0102030405060708"})");
  CHECK(std::get<ObjectCall>(checks[2].effect).message == R"({"check":"sql","nonce":"0102030405060708"})");

  session->resume({ok(checks[2].id, nonce_hex), ok(checks[0].id, std::monostate{}), ok(checks[1].id, nonce_hex)});
  const auto read = session->take_effects();
  REQUIRE(read.size() == 1);
  CHECK(std::get<KvGet>(read[0].effect).key == "frontdesk:health:probe:" + nonce_hex);
  CHECK_FALSE(session->done());
  session->resume({ok(read[0].id, std::optional<std::string>{nonce_hex})});
  REQUIRE(session->done());
  CHECK(session->response().status == 200);
  CHECK(session->response().body ==
        R"({"status":"ok","version":"0.1.0","target":"native","checks":{"kv":{"ok":true},"objects":{"ok":true},"sql":{"ok":true}}})");
}

TEST_CASE("a failed object storage check makes deep health 503 degraded") {
  const auto app = test_app();
  auto session = Session::start(app, get("/health", "deep=1"));
  const auto checks = start_deep_health(*session);
  session->resume({failed(checks[0].id, ErrorCode::storage_unavailable),
                   failed(checks[1].id, ErrorCode::storage_unavailable), ok(checks[2].id, nonce_hex)});
  REQUIRE(session->done());
  CHECK(session->response().status == 503);
  CHECK(session->response().body ==
        R"({"status":"degraded","version":"0.1.0","target":"native","checks":{"kv":{"ok":false,"error":"storage_unavailable"},"objects":{"ok":false,"error":"storage_unavailable"},"sql":{"ok":true}}})");
}

TEST_CASE("a KV read that does not return the write fails the kv check") {
  const auto app = test_app();
  auto session = Session::start(app, get("/health", "deep=1"));
  const auto checks = start_deep_health(*session);
  session->resume({ok(checks[0].id, std::monostate{}), ok(checks[1].id, nonce_hex), ok(checks[2].id, nonce_hex)});
  const auto read = session->take_effects();
  session->resume({ok(read[0].id, std::optional<std::string>{})});
  REQUIRE(session->done());
  CHECK(session->response().status == 503);
  CHECK(session->response().body.find(R"("kv":{"ok":false,"error":"read_mismatch"})") != std::string::npos);
}

TEST_CASE("the health probe object writes and reads its nonce through SQL") {
  const auto app = test_app();
  auto session = Session::start(app, ObjectInvocation{"health", "probe", R"({"check":"sql","nonce":"ab"})"});
  auto create = session->take_effects();
  REQUIRE(create.size() == 1);
  CHECK(std::get<SqlExec>(create[0].effect).sql.rfind("CREATE TABLE IF NOT EXISTS health_probe", 0) == 0);
  session->resume({ok(create[0].id, SqlRows{})});
  auto insert = session->take_effects();
  REQUIRE(insert.size() == 1);
  const auto& statement = std::get<SqlExec>(insert[0].effect);
  CHECK(statement.sql == "INSERT OR REPLACE INTO health_probe (id, nonce) VALUES (1, ?)");
  REQUIRE(statement.params.size() == 1);
  CHECK(std::get<std::string>(statement.params[0]) == "ab");
  session->resume({ok(insert[0].id, SqlRows{{}, {}})});
  auto select = session->take_effects();
  session->resume({ok(select[0].id, SqlRows{{"nonce"}, {{SqlValue{std::string("ab")}}}})});
  REQUIRE(session->done());
  REQUIRE(session->reply().ok());
  CHECK(session->reply().value() == "ab");
}

TEST_CASE("the health probe object passes a storage failure back as its error") {
  const auto app = test_app();
  auto session = Session::start(app, ObjectInvocation{"health", "probe", R"({"check":"storage","nonce":"ab"})"});
  auto put = session->take_effects();
  REQUIRE(put.size() == 1);
  CHECK(std::get<StoragePut>(put[0].effect).key == "health:probe");
  session->resume({failed(put[0].id, ErrorCode::storage_unavailable)});
  REQUIRE(session->done());
  REQUIRE_FALSE(session->reply().ok());
  CHECK(session->reply().error().code == ErrorCode::storage_unavailable);
}

TEST_CASE("an unknown object kind answers not_found") {
  const auto app = test_app();
  auto session = Session::start(app, ObjectInvocation{"nope", "x", "{}"});
  REQUIRE(session->done());
  CHECK(session->reply().error().code == ErrorCode::not_found);
}

TEST_CASE("routing errors are SPEC's JSON errors") {
  const auto app = test_app();
  auto missing = Session::start(app, get("/nope"));
  CHECK(missing->response().status == 404);
  CHECK(missing->response().body == R"({"error":{"code":"not_found","message":"No route for GET /nope"}})");
  Request post = get("/health");
  post.method = "POST";
  auto wrong_method = Session::start(app, post);
  CHECK(wrong_method->response().status == 405);
  CHECK(wrong_method->response().headers.get("allow") == "GET");
  CHECK(wrong_method->response().body ==
        R"({"error":{"code":"method_not_allowed","message":"POST is not allowed on /health"}})");
}
