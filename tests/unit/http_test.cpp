#include <catch2/catch.hpp>

#include "core/http.hpp"

using namespace frontdesk;

TEST_CASE("header names compare case-insensitively and keep their first spelling") {
  Headers headers;
  headers.add("Content-Type", "application/json");
  headers.add("X-Twilio-Signature", "abc");
  CHECK(headers.get("content-type") == "application/json");
  CHECK(headers.get("x-twilio-SIGNATURE") == "abc");
  CHECK_FALSE(headers.get("missing").has_value());
  headers.set("CONTENT-TYPE", "text/plain");
  CHECK(headers.size() == 2);
  CHECK(headers.get("content-type") == "text/plain");
  headers.remove("x-twilio-signature");
  CHECK_FALSE(headers.has("X-Twilio-Signature"));
}

TEST_CASE("query strings decode '+' and %XX, keep order and repeated names") {
  const auto params = parse_query("deep=1&to=%2B15555550123&msg=hello+world&flag&to=second");
  REQUIRE(params.size() == 5);
  CHECK(params[0] == std::pair<std::string, std::string>{"deep", "1"});
  CHECK(params[1].second == "+15555550123");
  CHECK(params[2].second == "hello world");
  CHECK(params[3] == std::pair<std::string, std::string>{"flag", ""});
  CHECK(find_param(params, "to") == "+15555550123");
  CHECK_FALSE(find_param(params, "absent").has_value());
}

TEST_CASE("malformed percent escapes are kept literally") {
  CHECK(percent_decode("100%", true) == "100%");
  CHECK(percent_decode("%zz%4", true) == "%zz%4");
  CHECK(percent_decode("a+b", false) == "a+b");
  CHECK(percent_decode("%41%62", false) == "Ab");
}

TEST_CASE("empty pairs in a query are skipped") {
  CHECK(parse_query("").empty());
  CHECK(parse_query("&&a=1&").size() == 1);
}
