#include <catch2/catch.hpp>

#include "core/time.hpp"

using namespace frontdesk;

TEST_CASE("rfc3339_from_ms writes UTC with milliseconds") {
  CHECK(rfc3339_from_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(rfc3339_from_ms(1700000000123) == "2023-11-14T22:13:20.123Z");
}

TEST_CASE("unix_us_from_rfc3339 reads any precision and offset as microseconds since the epoch") {
  CHECK(unix_us_from_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(unix_us_from_rfc3339("2023-11-14T22:13:20.123Z") == 1700000000123000);
  CHECK(unix_us_from_rfc3339("2023-11-14T22:13:20.123456Z") == 1700000000123456);
  CHECK(unix_us_from_rfc3339("2023-11-14T22:13:20.1234567Z") == 1700000000123456);
  CHECK(unix_us_from_rfc3339("2023-11-14T22:13:20.5z") == 1700000000500000);
  CHECK(unix_us_from_rfc3339("2023-11-15T00:13:20+02:00") == 1700000000000000);
  CHECK(unix_us_from_rfc3339("2023-11-14T17:13:20-05:00") == 1700000000000000);
  CHECK(unix_us_from_rfc3339("2023-11-14 22:13:20Z") == 1700000000000000);
  CHECK(unix_us_from_rfc3339("1969-12-31T23:59:59Z") == -1000000);
  CHECK(unix_us_from_rfc3339("2024-02-29T00:00:00Z") == 1709164800000000);
}

TEST_CASE("unix_us_from_rfc3339 round-trips what rfc3339_from_ms writes") {
  for (const std::int64_t ms : {std::int64_t{0}, std::int64_t{951782400000}, std::int64_t{1700000000123},
                                std::int64_t{4102444799999}}) {
    CHECK(unix_us_from_rfc3339(rfc3339_from_ms(ms)) == ms * 1000);
  }
}

TEST_CASE("unix_us_from_rfc3339 refuses what is not an RFC 3339 date-time") {
  for (const char* text : {"", "yesterday", "2023-11-14", "2023-11-14T22:13:20", "2023-11-14T22:13Z",
                           "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2023-04-31T00:00:00Z",
                           "2023-11-14T24:00:00Z", "2023-11-14T22:60:00Z", "2023-11-14T22:13:61Z",
                           "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20+0200", "2023-11-14T22:13:20+02",
                           "2023-11-14T22:13:20Z ", "2023-1-14T22:13:20Z", "+2023-11-14T22:13:20Z"}) {
    INFO(text);
    CHECK_FALSE(unix_us_from_rfc3339(text).has_value());
  }
}
