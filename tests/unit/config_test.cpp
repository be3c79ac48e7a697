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
