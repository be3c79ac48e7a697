// Retention (core/objects/ledger/retention.cpp): past `retention.payload_days` an event's raw
// payload is emptied, a bounded batch per `prune`, while the event itself, its call and the
// audit chain stay (and the chain still verifies).
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/crypto/primitives.hpp"
#include "core/encoding.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
namespace json = boost::json;

namespace {

const std::string secret = "github-retention-test-secret";

App retention_app() {
  auto app = App::create(R"({"sources":{"gh":{"kind":"github","secrets":["github-retention-test-secret"]}},
                             "retention":{"payload_days":2}})",
                         [](std::string_view) { return std::optional<std::string>{}; });
  REQUIRE(app.ok());
  return std::move(app.value());
}

Request delivery(int n) {
  const auto body = R"({"n":)" + std::to_string(n) + "}";
  Request request = make_request("POST", "/webhooks/gh", body);
  request.headers.add("content-type", "application/json");
  request.headers.add("x-github-event", "push");
  request.headers.add("x-github-delivery", "d-" + std::to_string(n));
  request.headers.add("x-hub-signature-256",
                      "sha256=" + hex_encode(crypto::bytes_of(crypto::hmac_sha256(secret, body))));
  return request;
}

struct Ledger {
  TempDir dir;
  boost::asio::io_context io;
  App app = retention_app();
  Store store = open_store(dir / "fd.db");
  std::int64_t now = 1'700'000'000'000;
  Host host{io, app, store, [this] {
              HostOptions options;
              options.clock = [this] { return now; };
              options.log = [](std::string_view) {};
              return options;
            }()};

  void deliver(int n) {
    std::optional<Response> response;
    host.handle(delivery(n), [&](Response r) { response = std::move(r); });
    io.restart();
    io.run();
    REQUIRE(response);
    REQUIRE(response->status == 200);
  }

  json::object call(const json::object& message) {
    std::optional<ObjectReply> reply;
    host.call_object({"ledger", "default"}, json::serialize(message), [&](ObjectReply r) { reply = std::move(r); });
    io.restart();
    io.run();
    REQUIRE(reply);
    REQUIRE(reply->ok());
    return json::parse(reply->value()).as_object();
  }
};

}  // namespace

TEST_CASE("prune empties the payloads older than retention.payload_days, 500 at a time; events and the audit chain stay") {
  Ledger ledger;
  for (int n = 0; n < 600; ++n) ledger.deliver(n);
  ledger.now += 86'400'000;  // a day later: these are not old enough yet
  ledger.deliver(600);
  CHECK(ledger.call({{"op", "prune"}}).at("payloads") == 0);

  ledger.now += 86'400'000 + 1;  // the first 600 are now past two days, the last one is not
  const auto first = ledger.call({{"op", "prune"}});
  CHECK(first.at("payloads") == 500);
  CHECK(first.at("more") == true);
  const auto second = ledger.call({{"op", "prune"}});
  CHECK(second.at("payloads") == 100);
  CHECK(second.at("more") == false);
  CHECK(ledger.call({{"op", "prune"}}).at("payloads") == 0);

  const auto events = ledger.call({{"op", "list_events"}, {"limit", 1000}}).at("events").as_array();
  REQUIRE(events.size() == 601);
  CHECK(events.front().at("payload") == R"({"n":600})");  // newest first: kept
  for (std::size_t i = 1; i < events.size(); ++i) CHECK(events[i].at("payload") == "");
  const auto verified = ledger.call({{"op", "audit_verify"}});
  CHECK(verified.at("ok") == true);
}
