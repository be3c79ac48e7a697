// The pure parts behind the console: the Prometheus text the metrics routes answer, and
// the live feed's tickets (which tenant they name, which event types a token's socket sees).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "core/live/ticket.hpp"
#include "core/metrics/prometheus.hpp"
#include "core/metrics/tenant.hpp"
#include "core/objects/protocol.hpp"

using namespace frontdesk;

TEST_CASE("prometheus: HELP and TYPE once per family, labels escaped, counts as integers") {
  metrics::Family family{"frontdesk_x_total", "Things.\nCounted \\ here.", metrics::Kind::counter, {}};
  family.samples.push_back({"", {{"tenant", "a\"b\\c\nd"}}, 3});
  family.samples.push_back({"", {}, 0.25});
  family.samples.push_back({"", {{"tenant", "b"}}, 0.005});
  family.samples.push_back({"", {{"tenant", "c"}}, -1.5});
  const std::array<metrics::Family, 1> families{family};
  CHECK(metrics::render(families) ==
        "# HELP frontdesk_x_total Things.\\nCounted \\\\ here.\n"
        "# TYPE frontdesk_x_total counter\n"
        "frontdesk_x_total{tenant=\"a\\\"b\\\\c\\nd\"} 3\n"
        "frontdesk_x_total 0.25\n"
        "frontdesk_x_total{tenant=\"b\"} 0.005\n"
        "frontdesk_x_total{tenant=\"c\"} -1.5\n");
}

TEST_CASE("prometheus: a histogram has cumulative buckets, +Inf, _sum and _count") {
  metrics::Family family{"frontdesk_d_seconds", "Durations.", metrics::Kind::histogram, {}};
  const std::array<double, 2> bounds{0.5, 1};
  const std::array<double, 2> cumulative{1, 2};
  metrics::add_histogram(family, {{"route", "/x"}}, bounds, cumulative, 3, 2.75);
  const std::array<metrics::Family, 1> families{family};
  CHECK(metrics::render(families) ==
        "# HELP frontdesk_d_seconds Durations.\n"
        "# TYPE frontdesk_d_seconds histogram\n"
        "frontdesk_d_seconds_bucket{route=\"/x\",le=\"0.5\"} 1\n"
        "frontdesk_d_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"
        "frontdesk_d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
        "frontdesk_d_seconds_sum{route=\"/x\"} 2.75\n"
        "frontdesk_d_seconds_count{route=\"/x\"} 3\n");
}

TEST_CASE("tenant metrics: decisions, final states apart from calls in progress, commands by result") {
  // The ledger's reply as it comes over the wire, decoded as the sites decode it.
  const auto reply = objects::protocol::decode_reply<objects::protocol::Metrics>(R"({
    "decisions":[{"outcome":"blocked","n":2}],
    "calls":[{"state":"completed","n":4},{"state":"initiated","n":1},{"state":"ringing","n":2}],
    "durations":{"n":1,"total":42,"at_most":[0,0,0,1,1,1,1,1,1]},
    "messages":[],"webhooks":[],"attempts":[],"deliveries":[],
    "commands":[{"provider":"telnyx","status":"pending","n":2,"attempts":3},
                {"provider":"telnyx","status":"dead","n":1,"attempts":5}]})");
  REQUIRE(reply);
  const std::array<metrics::TenantCounts, 1> tenants{{{"acme", *reply}}};
  const auto text = metrics::render(metrics::tenant_families(tenants));
  CHECK(text.find("frontdesk_calls_total{tenant=\"acme\",outcome=\"blocked\"} 2\n") != std::string::npos);
  CHECK(text.find("frontdesk_calls_ended_total{tenant=\"acme\",state=\"completed\"} 4\n") != std::string::npos);
  CHECK(text.find("frontdesk_calls_in_progress{tenant=\"acme\"} 3\n") != std::string::npos);
  CHECK(text.find("frontdesk_call_duration_seconds_bucket{tenant=\"acme\",le=\"60\"} 1\n") != std::string::npos);
  CHECK(text.find("frontdesk_call_duration_seconds_sum{tenant=\"acme\"} 42\n") != std::string::npos);
  CHECK(text.find("frontdesk_outbound_queue_depth{tenant=\"acme\"} 2\n") != std::string::npos);
  CHECK(text.find("frontdesk_provider_commands_total{tenant=\"acme\",provider=\"telnyx\",result=\"dead\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("frontdesk_provider_command_attempts_total{tenant=\"acme\",provider=\"telnyx\"} 8\n") !=
        std::string::npos);
}

TEST_CASE("live tickets name their tenant, and nothing else passes for one") {
  const std::string random(16, '\x5a');
  const auto ticket = live::ticket_for("acme", random);
  CHECK(ticket == "lt_61636d65_5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
  CHECK(live::ticket_tenant(ticket) == std::optional<std::string>("acme"));
  CHECK_FALSE(live::ticket_tenant(""));
  CHECK_FALSE(live::ticket_tenant("lt__5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"));
  CHECK_FALSE(live::ticket_tenant("lt_61636d65_5a5a"));
  CHECK_FALSE(live::ticket_tenant("lt_61636d6_5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"));
  CHECK_FALSE(live::ticket_tenant("lt_61636D65_5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"));
  CHECK_FALSE(live::ticket_tenant("fd_61636d65_5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"));
}

TEST_CASE("live tickets: a token's socket sees the event types it may read") {
  CHECK(live::visible_types({"messages:read"}) == std::vector<std::string>{"message.received", "message.sent"});
  CHECK(live::visible_types({"calls:read", "registry:read"}) ==
        std::vector<std::string>{"call.received", "call.screened", "call.answered", "call.ended", "registry.changed"});
  CHECK(live::visible_types({"events:read"}) == std::vector<std::string>{"outbound.dead", "webhook.received"});
  CHECK(live::visible_types({"calls:write", "tokens:admin"}).empty());
}
