// Fan-out's pure parts: the Standard Webhooks signature Frontdesk sends, which endpoint
// URLs are refused, and the event catalog.
#include <catch2/catch.hpp>

#include "core/fanout/catalog.hpp"
#include "core/fanout/endpoint_url.hpp"
#include "core/fanout/signature.hpp"

using namespace frontdesk;

namespace {

// The standard-webhooks reference library's test vector (tests/vectors/signatures.json).
constexpr std::string_view vector_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view vector_id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t vector_timestamp = 1614265330;
constexpr std::string_view vector_body = R"({"test": 2432232314})";
constexpr std::string_view vector_signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

std::string refusal(std::string_view url, const FanoutSettings& settings = {}) {
  const auto checked = fanout::check_endpoint_url(url, settings);
  return checked ? std::string{} : checked.error().message;
}

}  // namespace

TEST_CASE("fan-out signature: the reference library's vector, byte for byte") {
  const std::vector<std::string> secrets{std::string(vector_secret)};
  const auto header = fanout::signature_header(secrets, vector_id, vector_timestamp, vector_body);
  REQUIRE(header);
  CHECK(*header == vector_signature);
}

TEST_CASE("fan-out signature: during a rotation, the new secret's entry then the old one's") {
  const std::vector<std::string> secrets{"whsec_" + std::string(24, 'A'), std::string(vector_secret)};
  const auto header = fanout::signature_header(secrets, vector_id, vector_timestamp, vector_body);
  REQUIRE(header);
  const auto space = header->find(' ');
  REQUIRE(space != std::string::npos);
  CHECK(header->substr(space + 1) == vector_signature);
  CHECK(header->substr(0, 3) == "v1,");
  CHECK(header->substr(0, space) != vector_signature);
}

TEST_CASE("fan-out signature: a secret that is not whsec_ and base64 is an error, not a signature") {
  for (const auto* secret : {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_***"}) {
    const std::vector<std::string> secrets{secret};
    const auto header = fanout::signature_header(secrets, vector_id, vector_timestamp, vector_body);
    REQUIRE_FALSE(header);
    CHECK(header.error().code == ErrorCode::invalid_field);
  }
}

TEST_CASE("fan-out secret: whsec_ and the base64 of the random bytes") {
  CHECK(fanout::secret_from(std::string(24, '\0')) == "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
}

TEST_CASE("endpoint URL: https to a public host is taken, with a port, a path and a query") {
  for (const auto* url : {"https://hooks.example.com/frontdesk", "https://hooks.example.com:8443/a?b=c",
                          "HTTPS://Hooks.Example.com", "https://93.184.216.34/in", "https://[2606:4700::1111]/in"}) {
    INFO(url);
    CHECK(refusal(url).empty());
  }
}

TEST_CASE("endpoint URL: http, other schemes and malformed URLs are refused naming url") {
  CHECK(refusal("http://hooks.example.com/") == "url: must be an https:// URL");
  CHECK(refusal("ftp://hooks.example.com/") == "url: must be an https:// URL");
  CHECK(refusal("hooks.example.com/in") == "url: must be an absolute https:// URL");
  CHECK(refusal("https:///in") == "url: has no host");
  CHECK(refusal("https://user:pw@hooks.example.com/") == "url: must not hold a user name or password");
  CHECK(refusal("https://hooks.example.com/a b") == "url: must not hold spaces or control characters");
  FanoutSettings http;
  http.allow_http = true;
  CHECK(refusal("http://hooks.example.com/", http).empty());
}

TEST_CASE("endpoint URL: loopback, private, link-local and metadata hosts are refused unless allowed") {
  for (const auto* url :
       {"https://127.0.0.1/", "https://127.1.2.3:8080/x", "https://10.0.0.1/", "https://172.16.5.4/", "https://172.31.255.255/",
        "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data", "https://0.0.0.0/", "https://100.64.0.1/",
        "https://localhost/", "https://LOCALHOST:3000/", "https://api.localhost/", "https://metadata.google.internal/",
        "https://[::1]/", "https://[fd00:ec2::254]/", "https://[fe80::1]/", "https://[::ffff:127.0.0.1]/",
        "https://2130706433/", "https://0x7f.1/", "https://127.1/"}) {
    INFO(url);
    CHECK(refusal(url).rfind("url: ", 0) == 0);
    FanoutSettings open;
    open.allow_private = true;
    CHECK(refusal(url, open).empty());
  }
  CHECK(refusal("https://172.32.0.1/").empty());
  CHECK(refusal("https://11.0.0.1/").empty());
}

TEST_CASE("event catalog: the documented types and no others") {
  CHECK(fanout::known_event_type("call.screened"));
  CHECK(fanout::known_event_type("webhook.received"));
  CHECK(fanout::known_event_type("frontdesk.test"));
  CHECK_FALSE(fanout::known_event_type("call"));
  CHECK_FALSE(fanout::known_event_type("nope.nothing"));
  CHECK_FALSE(fanout::known_event_type(""));
}

TEST_CASE("event ids: the same tenant, type and subject give the same id; anything else another") {
  const auto id = fanout::event_id_for("acme", "call.received", "call_1");
  CHECK(id.size() == 24);
  CHECK(id.rfind("evt_", 0) == 0);
  CHECK(id == fanout::event_id_for("acme", "call.received", "call_1"));
  CHECK(id != fanout::event_id_for("acme", "call.screened", "call_1"));
  CHECK(id != fanout::event_id_for("globex", "call.received", "call_1"));
  CHECK(id != fanout::event_id_for("acme", "call.received", "call_2"));
}

TEST_CASE("fanout: resolved addresses a delivery may not reach") {
  for (const auto* address : {"127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                              "0.0.0.0", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
    CHECK(fanout::private_address(address));
  }
  for (const auto* address : {"93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"}) {
    CHECK_FALSE(fanout::private_address(address));
  }
}
