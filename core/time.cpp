#include "time.hpp"

#include <array>

namespace frontdesk {
namespace {

// Howard Hinnant's days-to-civil algorithm: exact for the proleptic Gregorian calendar.
void civil_from_days(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  day = day_of_year - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
}

void append_padded(std::string& out, std::int64_t value, int width) {
  std::string digits = std::to_string(value);
  while (static_cast<int>(digits.size()) < width) digits.insert(digits.begin(), '0');
  out += digits;
}

}  // namespace

std::string rfc3339_from_ms(std::int64_t unix_ms) {
  const std::int64_t ms_per_day = 86400000;
  std::int64_t days = unix_ms / ms_per_day;
  std::int64_t rest = unix_ms % ms_per_day;
  if (rest < 0) {
    rest += ms_per_day;
    --days;
  }
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(days, year, month, day);
  std::string out;
  append_padded(out, year, 4);
  out += '-';
  append_padded(out, month, 2);
  out += '-';
  append_padded(out, day, 2);
  out += 'T';
  append_padded(out, rest / 3600000, 2);
  out += ':';
  append_padded(out, rest / 60000 % 60, 2);
  out += ':';
  append_padded(out, rest / 1000 % 60, 2);
  out += '.';
  append_padded(out, rest % 1000, 3);
  out += 'Z';
  return out;
}

}  // namespace frontdesk
