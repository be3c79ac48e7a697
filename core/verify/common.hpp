#pragma once
// What the verifiers share: their errors, number and list parsing, the tolerance check.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../result.hpp"

namespace frontdesk::verify {

Error missing_signature(std::string_view what);
Error bad_signature(std::string_view what);
Error stale_timestamp();

// Decimal digits only, no sign, no spaces; huge values saturate at 10^15.
std::optional<std::int64_t> parse_timestamp(std::string_view text);
bool within(std::int64_t timestamp_ms, std::int64_t now_ms, std::int64_t tolerance_s);

std::vector<std::string_view> split(std::string_view text, char separator);
std::string_view trim(std::string_view text);
std::string_view strip_prefix(std::string_view text, std::string_view prefix);
std::string ascii_lower(std::string_view text);

}  // namespace frontdesk::verify
