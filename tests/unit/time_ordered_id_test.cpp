#include <catch2/catch.hpp>

#include <string>

#include "core/time_ordered_id.hpp"

using namespace frontdesk;

TEST_CASE("time_ordered_id is the prefix, 12 hex digits of the milliseconds, then the random bytes in hex") {
  // 2026-12-08T02:00:00Z
  CHECK(time_ordered_id("evt_", 1'796'695'200'000, std::string("\x01\xab\xff", 3)) == "evt_01a25361110001abff");
  CHECK(time_ordered_id("call_", 0, "") == "call_000000000000");
}

TEST_CASE("time_ordered_id sorts by time whatever the random bytes") {
  const auto earlier = time_ordered_id("evt_", 1'796'695'200'000, std::string(12, '\xff'));
  const auto later = time_ordered_id("evt_", 1'796'695'200'001, std::string(12, '\0'));
  CHECK(earlier < later);
  CHECK(earlier.size() == later.size());
}

TEST_CASE("time_ordered_id clamps a time outside 48 bits instead of wrapping it") {
  CHECK(time_ordered_id("x_", -5, "") == "x_000000000000");
  CHECK(time_ordered_id("x_", std::int64_t{1} << 50, "") == "x_ffffffffffff");
}
