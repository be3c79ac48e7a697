#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/api/tokens.hpp"
#include "core/app.hpp"
#include "core/session.hpp"

using namespace frontdesk;
namespace json = boost::json;

namespace {

const std::string token = "fd_" + std::string(40, 'Q');

App api_app() {
  auto app = App::create(R"({"tenants":{"acme":{"numbers":["+18886115384"]}}})",
                         [](std::string_view name) -> std::optional<std::string> {
                           if (name == "FRONTDESK_BOOTSTRAP_TOKEN") return std::string("bootstrap-secret");
                           return std::nullopt;
                         });
  REQUIRE(app.ok());
  return std::move(app.value());
}

Request api_request(std::string method, std::string path, std::optional<std::string> bearer) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  if (bearer) request.headers.add("authorization", "Bearer " + *bearer);
  return request;
}

constexpr std::string_view authorized =
    R"({"ok":true,"token":{"id":"tok_1","scopes":["calls:read"],"expires_at_ms":null},)"
    R"("rate":{"limit":600,"remaining":599,"reset_s":30,"allowed":true}})";

// Runs the session, answering the KV pointer and the ledger's authorize, and giving every
// other ledger call `ledger_reply`. Returns the ledger messages it saw, in order.
std::vector<std::string> run(Session& session, std::string_view ledger_reply) {
  std::vector<std::string> ledger_messages;
  for (int round = 0; round < 16 && !session.done(); ++round) {
    std::vector<EffectResult> results;
    for (auto& pending : session.take_effects()) {
      if (const auto* get = std::get_if<KvGet>(&pending.effect)) {
        CHECK(get->key == "token:" + api::token_hash(token));
        results.push_back({pending.id, EffectOutput{std::optional<std::string>{R"({"tenant":"acme","id":"tok_1"})"}}});
      } else if (const auto* call = std::get_if<ObjectCall>(&pending.effect)) {
        CHECK(call->kind == "ledger");
        CHECK(call->id == "acme");
        ledger_messages.push_back(call->message);
        const bool authorize = call->message.find(R"("op":"authorize")") != std::string::npos;
        results.push_back({pending.id, EffectOutput{std::string(authorize ? authorized : ledger_reply)}});
      } else {
        FAIL("an effect the API should not ask for here");
      }
    }
    session.resume(std::move(results));
  }
  REQUIRE(session.done());
  return ledger_messages;
}

}  // namespace

TEST_CASE("API: a token is looked up by its hash, checked by its tenant's ledger, then the route runs") {
  const auto app = api_app();
  auto session = Session::start(app, api_request("GET", "/api/v1/calls", token));
  const auto messages = run(*session, R"({"calls":[],"has_more":false,"next":null})");
  REQUIRE(messages.size() == 2);
  CHECK(json::parse(messages[0]).at("token_hash").as_string() == api::token_hash(token));
  CHECK(json::parse(messages[1]).at("op") == "list_calls");
  CHECK(session->response().status == 200);
  CHECK(session->response().body == R"({"data":[],"has_more":false,"next_cursor":null})");
  CHECK(session->response().headers.get("ratelimit-remaining") == "599");
}

TEST_CASE("API: a ledger reply without the list is 503, never a crash (found by fuzz_api)") {
  const auto app = api_app();
  auto session = Session::start(app, api_request("GET", "/api/v1/calls", token));
  run(*session, R"({"calre":true,"next":5})");
  CHECK(session->response().status == 503);
  CHECK(json::parse(session->response().body).at("error").at("code") == "storage_unavailable");
  auto detail = Session::start(app, api_request("GET", "/api/v1/calls/call_1", token));
  run(*detail, R"({"calls":"not a list"})");
  CHECK(detail->response().status == 503);
}

TEST_CASE("API: an authorize reply without its token or rate is 503, not a crash") {
  const auto app = api_app();
  auto session = Session::start(app, api_request("GET", "/api/v1/calls", token));
  for (int round = 0; round < 8 && !session->done(); ++round) {
    std::vector<EffectResult> results;
    for (auto& pending : session->take_effects()) {
      if (std::holds_alternative<KvGet>(pending.effect)) {
        results.push_back({pending.id, EffectOutput{std::optional<std::string>{R"({"tenant":"acme"})"}}});
      } else {
        results.push_back({pending.id, EffectOutput{std::string(R"({"ok":true,"token":5})")}});
      }
    }
    session->resume(std::move(results));
  }
  REQUIRE(session->done());
  CHECK(session->response().status == 503);
}

TEST_CASE("API: no token, a malformed one and the wrong scheme all get the one 401, before any effect") {
  const auto app = api_app();
  const std::string unauthenticated = R"({"error":{"code":"unauthenticated","message":"a valid API token is required"}})";
  for (const std::optional<std::string>& bearer : {std::optional<std::string>{}, std::optional<std::string>{"fd_short"},
                                                  std::optional<std::string>{"sk_" + std::string(40, 'Q')}}) {
    auto session = Session::start(app, api_request("GET", "/api/v1/calls", bearer));
    REQUIRE(session->done());
    CHECK(session->response().status == 401);
    CHECK(session->response().body == unauthenticated);
  }
}

TEST_CASE("API: the bootstrap secret may mint tokens only, and is known by its hash") {
  const auto app = api_app();
  auto session = Session::start(app, api_request("GET", "/api/v1/calls", std::string("bootstrap-secret")));
  REQUIRE(session->done());
  CHECK(session->response().status == 403);
  auto wrong = Session::start(app, api_request("GET", "/api/v1/calls", std::string("bootstrap-secreT")));
  REQUIRE(wrong->done());
  CHECK(wrong->response().status == 401);
}

TEST_CASE("API: the OpenAPI document needs no token and is the JSON in docs/openapi.json") {
  const auto app = api_app();
  auto session = Session::start(app, api_request("GET", "/api/v1/openapi.json", std::nullopt));
  REQUIRE(session->done());
  CHECK(session->response().status == 200);
  CHECK(session->response().headers.get("content-type") == "application/json");
  CHECK(json::parse(session->response().body).at("openapi").as_string().starts_with("3.1"));
}

TEST_CASE("API: with one tenant configured, the bootstrap secret mints for it without naming it; scopes may be a string") {
  const auto app = api_app();
  Request request = api_request("POST", "/api/v1/tokens", std::string("bootstrap-secret"));
  request.body = R"({"name":"first","scopes":"calls:read tokens:admin"})";
  auto session = Session::start(app, std::move(request));
  std::string minted;
  for (int round = 0; round < 8 && !session->done(); ++round) {
    std::vector<EffectResult> results;
    for (auto& pending : session->take_effects()) {
      if (std::holds_alternative<Now>(pending.effect)) {
        results.push_back({pending.id, EffectOutput{std::int64_t{1700000000000}}});
      } else if (const auto* call = std::get_if<ObjectCall>(&pending.effect)) {
        CHECK(call->id == "acme");
        minted = call->message;
        results.push_back({pending.id, EffectOutput{std::string(
            R"({"token":{"id":"tok_9","name":"first","scopes":["calls:read","tokens:admin"],"created_at":"2023-11-14T22:13:20Z"},"plaintext":"fd_x"})")}});
      }
    }
    session->resume(std::move(results));
  }
  REQUIRE(session->done());
  CHECK(session->response().status == 201);
  CHECK(session->response().body ==
        R"({"id":"tok_9","tenant":"acme","name":"first","scopes":["calls:read","tokens:admin"],)"
        R"("created_at":"2023-11-14T22:13:20Z","expires_at":null,"last_used_at":null,"revoked_at":null,)"
        R"("rate_limit":null,"token":"fd_x"})");
  const auto message = json::parse(minted).as_object();
  CHECK(message.at("op") == "token_create");
  CHECK(message.at("scopes") == json::array{"calls:read", "tokens:admin"});
  CHECK(message.at("created_by") == "bootstrap");
}
