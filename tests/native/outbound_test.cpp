#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <chrono>

#include "host.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
namespace json = boost::json;

namespace {

// A provider nobody listens for (connection refused at once), and retries a minute apart.
constexpr std::string_view config = R"({
  "tenants": {"acme": {"numbers": ["+18886115384"]}},
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

json::object command(int n) {
  const auto id = "fd-test-" + std::to_string(n);
  return {{"command_id", id},
          {"lane", "acme:telnyx:c" + std::to_string(n)},
          {"provider", "telnyx"},
          {"action", "telnyx.answer"},
          {"method", "POST"},
          {"url", "http://127.0.0.1:9/v2/calls/c" + std::to_string(n) + "/actions/answer"},
          {"body", R"({"command_id":")" + id + R"("})"},
          {"auth", "bearer"}};
}

}  // namespace

TEST_CASE("a provider that does not answer is tried once per alarm run; its other commands wait with it") {
  Queue queue;
  const json::object record{{"call_id", "c1"}, {"from", "+15555550123"}, {"to", "+18886115384"},
                            {"direction", "inbound"}, {"state", "initiated"}, {"started_at", "2026-11-21T00:00:00Z"}};
  queue.ledger({{"op", "call_updated"},
                {"call_key", "acme:telnyx:c1"},
                {"call_id", "call_1"},
                {"source", "telnyx"},
                {"provider", "telnyx"},
                {"record", record},
                {"commands", json::array{command(1), command(2), command(3)}}});
  const auto listed = queue.ledger({{"op", "list_outbound"}, {"status", "pending"}});
  const auto& entries = listed.at("outbound").as_array();
  REQUIRE(entries.size() == 3);
  // Newest first: the first command is the last entry.
  const auto& tried = entries[2].as_object();
  CHECK(tried.at("command_id") == "fd-test-1");
  CHECK(tried.at("attempts") == 1);
  CHECK(tried.at("last_status").is_null());
  CHECK_FALSE(tried.at("last_error").as_string().empty());
  for (const auto index : {0, 1}) {
    const auto& waiting = entries[index].as_object();
    INFO(json::serialize(waiting));
    CHECK(waiting.at("attempts") == 0);
    CHECK(waiting.at("next_at_ms") == tried.at("next_at_ms"));
  }
}
