#pragma once
// Phone numbers as providers and people write them, brought to E.164.
#include <optional>
#include <string>
#include <string_view>

namespace frontdesk {

// "+1 (888) 611-5384", "18886115384", "8886115384", "1-888-611-JETH" → "+18886115384".
// Numbers without a country code are read as NANP (+1). nullopt when not a valid number:
// too short or long, stray characters, letters before the first three digits or followed
// by digits, or a NANP area code or exchange starting 0 or 1.
std::optional<std::string> normalize_e164(std::string_view text);

// "+18886115384" → "+1 888-611-5384"; other countries: the E.164 form unchanged.
std::string display_number(std::string_view e164);

}  // namespace frontdesk
