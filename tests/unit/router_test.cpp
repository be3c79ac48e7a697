#include <catch2/catch.hpp>

#include <array>

#include "core/router.hpp"

using namespace frontdesk;

namespace {
constexpr std::array<Route<int>, 4> table{{
    {"GET", "/health", 1},
    {"POST", "/webhooks/{source}", 2},
    {"GET", "/api/v1/calls/{id}", 3},
    {"DELETE", "/api/v1/calls/{id}", 4},
}};
}

TEST_CASE("static routes match exactly, trailing slash included") {
  CHECK(find_route<int>(table, "GET", "/health").route->handler == 1);
  CHECK(find_route<int>(table, "GET", "/health/").route == nullptr);
  CHECK(find_route<int>(table, "GET", "/healthz").route == nullptr);
  CHECK(find_route<int>(table, "GET", "/").route == nullptr);
}

TEST_CASE("{param} segments capture one non-empty segment") {
  const auto found = find_route<int>(table, "POST", "/webhooks/telnyx");
  REQUIRE(found.route);
  CHECK(found.route->handler == 2);
  CHECK(found.params.get("source") == "telnyx");
  CHECK(find_route<int>(table, "POST", "/webhooks/").route == nullptr);
  CHECK(find_route<int>(table, "POST", "/webhooks/a/b").route == nullptr);
}

TEST_CASE("a known path under another method lists every allowed method") {
  const auto found = find_route<int>(table, "PUT", "/api/v1/calls/c1");
  CHECK(found.route == nullptr);
  CHECK(found.allow == "GET, DELETE");
  CHECK(find_route<int>(table, "PUT", "/nowhere").allow.empty());
}

TEST_CASE("match_pattern reports no params on a miss") {
  const auto miss = match_pattern("/api/v1/calls/{id}/timeline", "/api/v1/calls/c1");
  CHECK_FALSE(miss.matched);
  CHECK(miss.params.values.empty());
}
