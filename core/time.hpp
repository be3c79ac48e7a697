#pragma once
// Time as text, computed from the host's now() (the core has no clock).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace frontdesk {

// 1700000000123 → "2023-11-14T22:13:20.123Z"
std::string rfc3339_from_ms(std::int64_t unix_ms);

}  // namespace frontdesk
