#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/crypto/primitives.hpp"
#include "core/encoding.hpp"
#include "core/session.hpp"

using namespace frontdesk;
namespace json = boost::json;

namespace {

constexpr std::int64_t now_ms = 1700000000000;
const std::string github_secret = "github-test-secret";

App app_with(std::string_view config) {
  auto app = App::create(config, [](std::string_view name) -> std::optional<std::string> {
    if (name == "GITHUB_TEST_SECRET") return github_secret;
    return std::nullopt;
  });
  REQUIRE(app.ok());
  return std::move(app.value());
}

const std::string config = R"({"sources":{
  "gh":{"kind":"github","secrets":["env:GITHUB_TEST_SECRET"]},
  "unset":{"kind":"github","secrets":["env:NOT_SET_ANYWHERE"]},
  "small":{"kind":"github","secrets":["x"],"max_body_bytes":10}},
  "tenants":{"acme":{"numbers":["+18886115384"]}}})";

Request github_delivery(std::string body, std::string delivery = "d-1") {
  Request request;
  request.method = "POST";
  request.path = "/webhooks/gh";
  request.headers.add("Content-Type", "application/json");
  request.headers.add("X-GitHub-Event", "ping");
  request.headers.add("X-GitHub-Delivery", std::move(delivery));
  request.headers.add("X-Hub-Signature-256",
                      "sha256=" + hex_encode(crypto::bytes_of(crypto::hmac_sha256(github_secret, body))));
  request.body = std::move(body);
  return request;
}

// Answers now and random, then returns the ledger call the webhook asks for.
PendingEffect run_to_ledger(Session& session) {
  auto first = session.take_effects();
  REQUIRE(first.size() == 2);
  REQUIRE(std::holds_alternative<Now>(first[0].effect));
  REQUIRE(std::get<Random>(first[1].effect).bytes == 6);
  session.resume({{first[0].id, EffectOutput{now_ms}}, {first[1].id, EffectOutput{std::string(6, '\x11')}}});
  auto next = session.take_effects();
  REQUIRE(next.size() == 1);
  return next[0];
}

}  // namespace

TEST_CASE("a verified delivery is recorded in its tenant's ledger before the 200") {
  const auto app = app_with(config);
  auto session = Session::start(app, github_delivery(R"({"zen":"Keep it logically awesome."})"));
  const auto ledger = run_to_ledger(*session);
  const auto& call = std::get<ObjectCall>(ledger.effect);
  CHECK(call.kind == "ledger");
  CHECK(call.id == "default");
  const auto message = json::parse(call.message).as_object();
  CHECK(message.at("op") == "receive");
  const auto& event = message.at("event").as_object();
  // The time of the delivery (1700000000000 ms), then the random bytes.
  CHECK(event.at("event_id") == "evt_018bcfe56800111111111111");
  CHECK(event.at("source") == "gh");
  CHECK(event.at("provider") == "github");
  CHECK(event.at("type") == "platform.ping");
  CHECK(event.at("provider_event_id") == "d-1");
  CHECK(event.at("received_at") == "2023-11-14T22:13:20.000Z");
  CHECK(event.at("payload") == R"({"zen":"Keep it logically awesome."})");
  CHECK_FALSE(session->done());

  session->resume({{ledger.id, EffectOutput{std::string(R"({"event_id":"evt_111111111111111111111111","duplicate":false})")}}});
  REQUIRE(session->done());
  CHECK(session->response().status == 200);
  CHECK(session->response().body == R"({"ok":true,"event_id":"evt_111111111111111111111111","duplicate":false})");
}

TEST_CASE("a repeat delivery answers the first event's id with duplicate true") {
  const auto app = app_with(config);
  auto session = Session::start(app, github_delivery("{}"));
  const auto ledger = run_to_ledger(*session);
  session->resume({{ledger.id, EffectOutput{std::string(R"({"event_id":"evt_first","duplicate":true})")}}});
  CHECK(session->response().body == R"({"ok":true,"event_id":"evt_first","duplicate":true})");
}

TEST_CASE("a ledger failure is 503 storage_unavailable, never a 2xx") {
  const auto app = app_with(config);
  auto session = Session::start(app, github_delivery("{}"));
  const auto ledger = run_to_ledger(*session);
  session->resume({{ledger.id, make_error(ErrorCode::storage_unavailable, "disk gone")}});
  CHECK(session->response().status == 503);
  CHECK(session->response().body ==
        R"({"error":{"code":"storage_unavailable","message":"the event could not be recorded"}})");
}

TEST_CASE("bad deliveries stop before anything is recorded") {
  const auto app = app_with(config);
  auto unknown = github_delivery("{}");
  unknown.path = "/webhooks/nope";
  auto session = Session::start(app, unknown);
  REQUIRE(session->done());
  CHECK(session->response().status == 404);
  CHECK(session->response().body == R"({"error":{"code":"unknown_source","message":"no source named nope"}})");

  auto tampered = github_delivery("{}");
  tampered.body = R"({"a":1})";
  session = Session::start(app, tampered);
  auto first = session->take_effects();
  session->resume({{first[0].id, EffectOutput{now_ms}}, {first[1].id, EffectOutput{std::string(6, '\x11')}}});
  REQUIRE(session->done());
  CHECK(session->response().status == 401);
  CHECK(session->response().body == R"({"error":{"code":"bad_signature","message":"signature does not match"}})");

  auto too_big = github_delivery("{\"long\":\"body\"}");
  too_big.path = "/webhooks/small";
  session = Session::start(app, too_big);
  REQUIRE(session->done());
  CHECK(session->response().status == 413);

  auto not_json = github_delivery("not json");
  session = Session::start(app, not_json);
  first = session->take_effects();
  session->resume({{first[0].id, EffectOutput{now_ms}}, {first[1].id, EffectOutput{std::string(6, '\x11')}}});
  CHECK(session->response().status == 400);
  CHECK(session->response().body == R"({"error":{"code":"malformed_body","message":"body is not valid JSON"}})");
}

TEST_CASE("a source whose secret is not set refuses deliveries with 500, naming the variable") {
  const auto app = app_with(config);
  auto request = github_delivery("{}");
  request.path = "/webhooks/unset";
  auto session = Session::start(app, request);
  REQUIRE(session->done());
  CHECK(session->response().status == 500);
  CHECK(session->response().body ==
        R"({"error":{"code":"internal","message":"source unset is not configured: environment variable NOT_SET_ANYWHERE is not set"}})");
}

TEST_CASE("GET on a webhook route is 405 with Allow: POST") {
  const auto app = app_with(config);
  auto request = github_delivery("{}");
  request.method = "GET";
  auto session = Session::start(app, request);
  CHECK(session->response().status == 405);
  CHECK(session->response().headers.get("allow") == "POST");
}
