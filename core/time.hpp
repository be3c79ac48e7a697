#pragma once
// Time as text, computed from the host's now() (the core has no clock).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace frontdesk {

// 1700000000123 → "2023-11-14T22:13:20.123Z"
std::string rfc3339_from_ms(std::int64_t unix_ms);

// "2024-05-01T10:00:00.123456Z", "2024-05-01T12:00:00+02:00" → microseconds since the Unix
// epoch, so times written with different precision or offsets compare correctly (as text
// they do not: "…:00Z" sorts after "…:00.5Z"). Digits past microseconds are dropped.
// nullopt when the text is not an RFC 3339 date-time.
std::optional<std::int64_t> unix_us_from_rfc3339(std::string_view text);

// Whole seconds from one RFC 3339 time to a later one; nullopt when either is not one or
// `to` is earlier.
std::optional<std::int64_t> seconds_between(std::string_view from, std::string_view to);

}  // namespace frontdesk
