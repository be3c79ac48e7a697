#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <sstream>

#include "core/crypto/primitives.hpp"
#include "core/encoding.hpp"
#include "events_command.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
namespace json = boost::json;

namespace {

const std::string secret = "github-native-test-secret";

App github_app() {
  auto app = App::create(R"({"sources":{"gh":{"kind":"github","secrets":["github-native-test-secret"]},
                                        "gh2":{"kind":"github","secrets":["github-native-test-secret"]}}})",
                         [](std::string_view) { return std::optional<std::string>{}; });
  REQUIRE(app.ok());
  return std::move(app.value());
}

Request delivery(std::string source, std::string id, std::string body) {
  Request request = make_request("POST", "/webhooks/" + source, body);
  request.headers.add("content-type", "application/json");
  request.headers.add("x-github-event", "push");
  request.headers.add("x-github-delivery", std::move(id));
  request.headers.add("x-hub-signature-256",
                      "sha256=" + hex_encode(crypto::bytes_of(crypto::hmac_sha256(secret, body))));
  return request;
}

Response send(boost::asio::io_context& io, Host& host, Request request) {
  std::optional<Response> response;
  host.handle(std::move(request), [&](Response r) { response = std::move(r); });
  io.restart();
  io.run();
  REQUIRE(response.has_value());
  return *response;
}

std::vector<json::object> lines_of(const std::string& text) {
  std::vector<json::object> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line).as_object());
  return lines;
}

}  // namespace

TEST_CASE("frontdesk events lists what the webhooks recorded, once per event, newest first") {
  TempDir dir;
  const auto db = (dir / "frontdesk.db").string();
  {
    const auto app = github_app();
    boost::asio::io_context io;
    auto store = open_store(db);
    std::int64_t now = 1700000000000;
    HostOptions options;
    options.clock = [&now] { return now; };
    options.log = [](std::string_view) {};
    Host host(io, app, store, options);
    const auto first = send(io, host, delivery("gh", "d-1", R"({"n":1})"));
    REQUIRE(first.status == 200);
    now += 1000;
    const auto repeat = send(io, host, delivery("gh", "d-1", R"({"n":1})"));
    CHECK(repeat.status == 200);
    CHECK(json::parse(repeat.body).at("duplicate") == true);
    CHECK(json::parse(repeat.body).at("event_id") == json::parse(first.body).at("event_id"));
    now += 1000;
    REQUIRE(send(io, host, delivery("gh2", "d-2", R"({"n":2})")).status == 200);
  }

  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(run_events({db, "", 100}, out, err) == 0);
  const auto events = lines_of(out.str());
  REQUIRE(events.size() == 2);
  CHECK(events[0].at("source") == "gh2");
  CHECK(events[0].at("provider_event_id") == "d-2");
  CHECK(events[0].at("payload") == R"({"n":2})");
  CHECK(events[0].at("received_at") == "2023-11-14T22:13:22.000Z");
  CHECK(events[1].at("source") == "gh");
  CHECK(events[1].at("tenant") == "default");
  CHECK(events[1].at("type") == "platform.push");
  CHECK(events[1].at("event_id").as_string().starts_with("evt_"));

  std::ostringstream only_gh;
  REQUIRE(run_events({db, "gh", 100}, only_gh, err) == 0);
  CHECK(lines_of(only_gh.str()).size() == 1);
  std::ostringstream limited;
  REQUIRE(run_events({db, "", 1}, limited, err) == 0);
  CHECK(lines_of(limited.str()).size() == 1);
}

TEST_CASE("frontdesk events refuses a missing database and bad arguments") {
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run_events({"/nonexistent/frontdesk.db", "", 10}, out, err) == 1);
  CHECK(err.str().find("no database") != std::string::npos);
  const std::vector<std::string_view> no_db{"--source", "x"};
  CHECK(std::holds_alternative<std::string>(parse_events_args(no_db)));
  const std::vector<std::string_view> bad_limit{"--db", "x", "--limit", "0"};
  CHECK(std::get<std::string>(parse_events_args(bad_limit)) == "--limit takes 1 to 1000");
  const std::vector<std::string_view> good{"--db=x", "--source", "telnyx", "--limit", "5"};
  const auto parsed = std::get<EventsOptions>(parse_events_args(good));
  CHECK(parsed.source == "telnyx");
  CHECK(parsed.limit == 5);
}
