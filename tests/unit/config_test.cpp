#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/config.hpp"
#include "core/tenants.hpp"

using namespace frontdesk;
namespace json = boost::json;

namespace {

Result<Config> parse(std::string_view text) {
  const auto env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "TELNYX_API_KEY") return std::string("KEYfake");
    return std::nullopt;
  };
  return parse_config(json::parse(text).as_object(), env);
}

}  // namespace

TEST_CASE("providers resolve their api_key from the environment and default their base_url") {
  const auto config = parse(R"({"providers":{"telnyx":{"api_key":"env:TELNYX_API_KEY"},
                                               "openphone":{"api_key":"env:OPENPHONE_API_KEY","base_url":"http://127.0.0.1:8/"}}})");
  REQUIRE(config);
  const auto& telnyx = config->providers.at("telnyx");
  CHECK(telnyx.api_key == "KEYfake");
  CHECK(telnyx.base_url == "https://api.telnyx.com");
  CHECK(telnyx.problem.empty());
  const auto& openphone = config->providers.at("openphone");
  CHECK(openphone.base_url == "http://127.0.0.1:8");
  CHECK(openphone.problem == "environment variable OPENPHONE_API_KEY is not set");
}

TEST_CASE("a provider base_url that is not http(s) is an invalid_field error naming it") {
  const auto config = parse(R"({"providers":{"telnyx":{"api_key":"k","base_url":"ftp://x"}}})");
  REQUIRE_FALSE(config);
  CHECK(config.error().code == ErrorCode::invalid_field);
  CHECK(config.error().message.find("providers.telnyx.base_url") == 0);
}

TEST_CASE("outbound retry settings have defaults, and bad ones are refused by name") {
  const auto defaults = parse("{}");
  REQUIRE(defaults);
  CHECK(defaults->outbound == OutboundSettings{5, 2000, 600000});
  const auto set = parse(R"({"outbound":{"max_attempts":3,"base_delay_ms":200,"max_delay_ms":1000}})");
  REQUIRE(set);
  CHECK(set->outbound == OutboundSettings{3, 200, 1000});
  const auto zero = parse(R"({"outbound":{"max_attempts":0}})");
  REQUIRE_FALSE(zero);
  CHECK(zero.error().message.find("outbound.max_attempts") == 0);
  const auto inverted = parse(R"({"outbound":{"base_delay_ms":5000,"max_delay_ms":1000}})");
  REQUIRE_FALSE(inverted);
  CHECK(inverted.error().message.find("outbound.base_delay_ms") == 0);
}

TEST_CASE("a source's provider defaults by kind and can be named") {
  const auto config = parse(R"({"sources":{
      "t":{"kind":"telnyx","public_keys":["k"]},
      "o":{"kind":"openphone","secrets":["s"]},
      "q":{"kind":"standard","secrets":["s"]},
      "g":{"kind":"github","secrets":["s"]},
      "named":{"kind":"standard","secrets":["s"],"provider":"telnyx"}}})");
  REQUIRE(config);
  CHECK(config->sources.at("t").provider == "telnyx");
  CHECK(config->sources.at("o").provider == "openphone");
  CHECK(config->sources.at("q").provider == "openphone");
  CHECK(config->sources.at("g").provider.empty());
  CHECK(config->sources.at("named").provider == "telnyx");
}

TEST_CASE("a tenant's policy is parsed with the configuration, and a bad one fails it by name") {
  const auto config = parse(R"({"tenants":{"acme":{"numbers":["+18886115384"],"registry":{"+15555550123":"alice.x"},
                                 "policy":{"screening":"known-only"}}}})");
  REQUIRE(config);
  CHECK(config->tenants.at("acme").policy.screening == reception::ScreeningMode::known_only);
  CHECK(config->tenants.at("acme").policy.registry.at("+15555550123") == "alice.x");
  const auto bad = parse(R"({"tenants":{"acme":{"policy":{"min_trust":400}}}})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("tenants.acme: policy.min_trust") == 0);
}

TEST_CASE("an event without numbers finds its tenant through client_state, only a configured one") {
  const auto config = parse(R"({"tenants":{"acme":{"numbers":["+18886115384"]}}})");
  REQUIRE(config);
  Event event;
  event.tenant = tenant_in_client_state(client_state_for("acme"));
  CHECK(tenant_for(*config, event) == "acme");
  event.tenant = "globex";
  CHECK(tenant_for(*config, event) == "default");
  event.tenant = "acme";
  event.to = "+18005550000";  // a number wins over the hint only when a tenant owns it
  CHECK(tenant_for(*config, event) == "acme");
}

TEST_CASE("a source's tenant takes the events whose numbers name none; it must be a configured tenant") {
  const auto config = parse(R"({"sources":{"op":{"kind":"openphone","secrets":["s"],"tenant":"acme"}},
                                "tenants":{"acme":{"numbers":["+18886115384"]},"globex":{"numbers":["+18886115399"]}}})");
  REQUIRE(config);
  Event transcript;
  transcript.source = "op";
  CHECK(tenant_for(*config, transcript) == "acme");
  Event numbered = transcript;
  numbered.to = "+18886115399";
  CHECK(tenant_for(*config, numbered) == "globex");  // a number that names one still wins
  Event elsewhere;
  elsewhere.source = "other";
  CHECK(tenant_for(*config, elsewhere) == "default");
  const auto unknown = parse(R"({"sources":{"op":{"kind":"openphone","secrets":["s"],"tenant":"nobody"}}})");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message.find("sources.op.tenant") == 0);
}

TEST_CASE("a Twilio provider needs its account SID and auth token, and defaults its base_url") {
  const auto config = parse(R"({"providers":{"twilio":{"account_sid":"ACfake0001","auth_token":"tok"}}})");
  REQUIRE(config);
  const auto& twilio = config->providers.at("twilio");
  CHECK(twilio.account_sid == "ACfake0001");
  CHECK(twilio.api_key == "tok");
  CHECK(twilio.base_url == "https://api.twilio.com");
  const auto missing = parse(R"({"providers":{"twilio":{"account_sid":"ACfake0001"}}})");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("providers.twilio") == 0);
  const auto unresolved = parse(R"({"providers":{"twilio":{"account_sid":"ACfake0001","auth_token":"env:NOPE"}}})");
  REQUIRE(unresolved);
  CHECK(unresolved->providers.at("twilio").problem == "environment variable NOPE is not set");
}
