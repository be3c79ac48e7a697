#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <set>
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

EventsOptions events_of(std::string db, std::string source = "", std::int64_t limit = 0) {
  EventsOptions options;
  options.db_path = std::move(db);
  options.source = std::move(source);
  options.limit = limit;
  return options;
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
  REQUIRE(run_events(events_of(db), out, err) == 0);
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
  REQUIRE(run_events(events_of(db, "gh"), only_gh, err) == 0);
  CHECK(lines_of(only_gh.str()).size() == 1);
  std::ostringstream limited;
  REQUIRE(run_events(events_of(db, "", 1), limited, err) == 0);
  CHECK(lines_of(limited.str()).size() == 1);
}

// As `frontdesk serve` runs them: signature checks on the compute threads, the ledger call
// and the answer on the io thread. Many at once, each answered and recorded once.
TEST_CASE("deliveries checked on the compute threads are answered and recorded once each", "[host][pool]") {
  TempDir dir;
  const auto db = (dir / "frontdesk.db").string();
  constexpr int delivered = 40;
  {
    const auto app = github_app();
    boost::asio::io_context io;
    auto store = open_store(db);
    HostOptions options;
    options.log = [](std::string_view) {};
    options.compute_threads = 2;
    Host host(io, app, store, options);
    std::vector<std::optional<Response>> answers(2 * delivered);
    for (int n = 0; n < 2 * delivered; ++n) {
      // Each delivery twice: the second of a pair is a provider's retry.
      const auto id = "d-" + std::to_string(n % delivered);
      host.handle(delivery("gh", id, R"({"n":)" + std::to_string(n % delivered) + "}"),
                  [&answers, n](Response r) { answers[n] = std::move(r); });
    }
    io.run();
    int duplicates = 0;
    for (const auto& answer : answers) {
      REQUIRE(answer.has_value());
      REQUIRE(answer->status == 200);
      duplicates += json::parse(answer->body).at("duplicate") == true ? 1 : 0;
    }
    CHECK(duplicates == delivered);
    CHECK(host.sessions_in_flight() == 0);
  }
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(run_events(events_of(db), out, err) == 0);
  std::set<std::string> ids;
  for (const auto& event : lines_of(out.str())) ids.insert(std::string(event.at("provider_event_id").as_string()));
  CHECK(ids.size() == delivered);
  CHECK(lines_of(out.str()).size() == delivered);
}

TEST_CASE("frontdesk events refuses a missing database and bad arguments") {
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run_events(events_of("/nonexistent/frontdesk.db"), out, err) == 1);
  CHECK(err.str().find("no database") != std::string::npos);
  const std::vector<std::string_view> no_db{"--source", "x"};
  CHECK(std::holds_alternative<std::string>(parse_events_args(no_db)));
  const std::vector<std::string_view> bad_limit{"--db", "x", "--limit", "0"};
  CHECK(std::get<std::string>(parse_events_args(bad_limit)) == "--limit takes a positive number");
  const std::vector<std::string_view> bad_since{"--db", "x", "--since", "yesterday"};
  CHECK(std::holds_alternative<std::string>(parse_events_args(bad_since)));
  const std::vector<std::string_view> bad_cursor{"--db", "x", "--cursor", "acme:12x"};
  CHECK(std::holds_alternative<std::string>(parse_events_args(bad_cursor)));
  const std::vector<std::string_view> good{"--db=x", "--source", "telnyx", "--limit", "5"};
  const auto parsed = std::get<EventsOptions>(parse_events_args(good));
  CHECK(parsed.source == "telnyx");
  CHECK(parsed.limit == 5);
}

// An export: every matching event exactly once, however many, page after page with the
// cursor each run prints, beyond the old 1000-line cap; and the filters.
TEST_CASE("frontdesk events pages through every event with --limit and --cursor, and filters") {
  TempDir dir;
  const auto db = (dir / "frontdesk.db").string();
  constexpr int delivered = 2100;
  {
    const auto app = github_app();
    boost::asio::io_context io;
    auto store = open_store(db);
    std::int64_t now = 1700000000000;  // 2023-11-14T22:13:20Z, a second per delivery
    HostOptions options;
    options.clock = [&now] { return now; };
    options.log = [](std::string_view) {};
    Host host(io, app, store, options);
    for (int n = 0; n < delivered; ++n) {
      REQUIRE(send(io, host, delivery(n % 2 ? "gh2" : "gh", "d-" + std::to_string(n), R"({"n":)" + std::to_string(n) + "}"))
                  .status == 200);
      now += 1000;
    }
  }

  std::ostringstream all;
  std::ostringstream err;
  REQUIRE(run_events(events_of(db), all, err) == 0);
  CHECK(lines_of(all.str()).size() == delivered);
  CHECK(err.str().empty());

  std::set<std::string> seen;
  std::string cursor;
  int runs = 0;
  while (true) {
    auto options = events_of(db, "", 700);
    options.cursor = cursor;
    std::ostringstream page;
    std::ostringstream note;
    REQUIRE(run_events(options, page, note) == 0);
    ++runs;
    for (const auto& event : lines_of(page.str())) {
      CHECK(seen.insert(std::string(event.at("event_id").as_string())).second);
    }
    const auto mark = note.str().find("--cursor ");
    if (mark == std::string::npos) break;
    cursor = note.str().substr(mark + 9);
    cursor.pop_back();  // the newline
    REQUIRE(runs < 10);
  }
  CHECK(seen.size() == delivered);
  CHECK(runs == 3);  // 700 + 700 + 700: the last one ends with the only ledger, and says no cursor

  auto windowed = events_of(db, "gh2");
  windowed.since = "2023-11-14T22:13:30Z";  // deliveries 10…
  windowed.until = "2023-11-14T22:13:40Z";  // …to 19
  std::ostringstream window;
  REQUIRE(run_events(windowed, window, err) == 0);
  const auto odd = lines_of(window.str());
  REQUIRE(odd.size() == 5);  // 11, 13, 15, 17, 19
  CHECK(odd.front().at("payload") == R"({"n":19})");
  CHECK(odd.back().at("payload") == R"({"n":11})");

  auto typed = events_of(db);
  typed.type = "platform.ping";
  std::ostringstream none;
  REQUIRE(run_events(typed, none, err) == 0);
  CHECK(none.str().empty());
}
