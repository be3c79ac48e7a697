#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "ledger_client.hpp"
#include "registry_command.hpp"
#include "core/objects/ledger/protocol.hpp"
#include "core/objects/protocol.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
namespace json = boost::json;

namespace {

constexpr std::string_view config_text = R"({"tenants":{"acme":{"numbers":["+18886115384"],
  "registry":{"+15555550123":"alice.x"},"allow":["+15555550124"],"block":["+15555550666"]}}})";

struct Cli {
  TempDir dir;
  std::string db = (dir.path() / "frontdesk.db").string();
  std::string config = (dir.path() / "config.json").string();

  Cli() { std::ofstream(config) << config_text; }

  struct Outcome {
    int status;
    std::string out;
    std::string err;
  };
  Outcome run(std::vector<std::string> words) const {
    std::vector<std::string_view> args(words.begin(), words.end());
    std::ostringstream out;
    std::ostringstream err;
    const int status = run_registry(args, out, err);
    return {status, out.str(), err.str()};
  }
  json::object listed() const {
    const auto listing = run({"list", "--db", db, "--tenant", "acme"});
    REQUIRE(listing.status == 0);
    return json::parse(listing.out).as_object();
  }
};

}  // namespace

TEST_CASE("frontdesk registry list seeds from --config as the server would") {
  Cli cli;
  const auto listing = cli.run({"list", "--db", cli.db, "--tenant", "acme", "--config", cli.config});
  REQUIRE(listing.status == 0);
  CHECK(listing.out ==
        R"({"registry":[{"phone":"+15555550123","namespace":"alice.x"}],"allow":["+15555550124"],"block":["+15555550666"]})"
        "\n");
}

TEST_CASE("frontdesk registry set, remove, allow, block and unlist edit the tenant's ledger") {
  Cli cli;
  CHECK(cli.run({"set", "--db", cli.db, "--tenant", "acme", "--phone", "1 (555) 555-0199", "--namespace", "bob.x"}).status ==
        0);
  CHECK(cli.run({"allow", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550177"}).status == 0);
  CHECK(cli.run({"block", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550178"}).status == 0);
  CHECK(json::serialize(cli.listed()) ==
        R"({"registry":[{"phone":"+15555550199","namespace":"bob.x"}],"allow":["+15555550177"],"block":["+15555550178"]})");
  CHECK(cli.run({"remove", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550199"}).status == 0);
  CHECK(cli.run({"unlist", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550177", "--list", "allow"}).status == 0);
  CHECK(json::serialize(cli.listed()) == R"({"registry":[],"allow":[],"block":["+15555550178"]})");
}

TEST_CASE("frontdesk registry refuses an invalid phone or namespace, and removing what is not there") {
  Cli cli;
  const auto bad_phone = cli.run({"set", "--db", cli.db, "--tenant", "acme", "--phone", "12", "--namespace", "bob.x"});
  CHECK(bad_phone.status == 1);
  CHECK(bad_phone.err == "frontdesk registry: phone: is not a phone number\n");
  const auto bad_name =
      cli.run({"set", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550199", "--namespace", "Bob X"});
  CHECK(bad_name.status == 1);
  CHECK(bad_name.err.find("namespace:") != std::string::npos);
  const auto missing = cli.run({"remove", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550199"});
  CHECK(missing.status == 1);
  CHECK(missing.err == "frontdesk registry: no registry entry for +15555550199\n");
  CHECK(cli.run({"set", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550199"}).status == 2);
  CHECK(cli.run({"list", "--db", cli.db}).status == 2);
  CHECK(cli.run({"frobnicate", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550199"}).status == 2);
}

TEST_CASE("registry edits are audited, and the chain they make verifies") {
  Cli cli;
  REQUIRE(cli.run({"set", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550199", "--namespace", "bob.x"}).status ==
          0);
  REQUIRE(cli.run({"block", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550178"}).status == 0);
  const auto app = app_for_cli("");
  REQUIRE(app);
  const auto replies = call_ledgers(cli.db, *app, {"acme"}, R"({"op":"audit_list"})");
  REQUIRE(replies);
  REQUIRE(replies->front().reply);
  const auto entries = json::parse(*replies->front().reply).at("entries").as_array();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].at("kind") == "registry.put");
  CHECK(json::parse(entries[0].at("body").as_string()).at("namespace") == "bob.x");
  CHECK(entries[1].at("kind") == "block.put");
  const auto verified = call_ledgers(cli.db, *app, {"acme"}, R"({"op":"audit_verify"})");
  REQUIRE(verified);
  CHECK(*verified->front().reply == R"({"ok":true,"entries":2})");
}

TEST_CASE("a number set in the registry is what screening sees for the next call") {
  Cli cli;
  REQUIRE(cli.run({"set", "--db", cli.db, "--tenant", "acme", "--phone", "+15555550199", "--namespace", "bob.x"}).status ==
          0);
  const auto app = app_for_cli(cli.config);
  REQUIRE(app);
  Event event;
  event.event_id = "evt_1";
  event.source = "telnyx";
  event.provider = "telnyx";
  event.provider_event_id = "e1";
  event.kind = EventKind::call;
  event.type = "call.initiated";
  event.tenant = "acme";
  event.call_id = "c1";
  event.from = "+15555550199";
  event.to = "+18886115384";
  event.direction = Direction::inbound;
  event.occurred_at = "2026-11-21T00:00:00Z";
  event.received_at = "2026-11-21T00:00:00Z";
  const auto receive = objects::protocol::encode_request<objects::protocol::Receive>({event});
  const auto received = call_ledgers(cli.db, *app, {"acme"}, receive);
  REQUIRE(received);
  REQUIRE(received->front().reply);
  const auto calls = call_ledgers(cli.db, *app, {"acme"}, R"({"op":"list_calls"})");
  REQUIRE(calls);
  REQUIRE(calls->front().reply);
  const auto call = json::parse(*calls->front().reply).at("calls").at(0).as_object();
  CHECK(call.at("decision").at("outcome") == "authenticated");
  CHECK(call.at("decision").at("namespace") == "bob.x");
  CHECK(call.at("state") == "initiated");
}

TEST_CASE("frontdesk registry takes the phone and namespace as words too, and common spellings") {
  Cli cli;
  CHECK(cli.run({"add", "+15555550199", "bob.x", "--db", cli.db, "--tenant", "acme"}).status == 0);
  CHECK(cli.run({"block", "--db", cli.db, "--tenant", "acme", "+15555550178"}).status == 0);
  CHECK(json::serialize(cli.listed()) ==
        R"({"registry":[{"phone":"+15555550199","namespace":"bob.x"}],"allow":[],"block":["+15555550178"]})");
  CHECK(cli.run({"unblock", "+15555550178", "--db", cli.db, "--tenant", "acme"}).status == 0);
  CHECK(cli.run({"delete", "+15555550199", "--db", cli.db, "--tenant", "acme"}).status == 0);
  CHECK(json::serialize(cli.listed()) == R"({"registry":[],"allow":[],"block":[]})");
  CHECK(cli.run({"set", "+15555550199", "bob.x", "extra", "--db", cli.db, "--tenant", "acme"}).status == 2);
}
