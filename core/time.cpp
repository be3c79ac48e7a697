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

// The inverse of civil_from_days, by the same author.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

bool leap_year(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap_year(year) ? 29 : days[month - 1];
}

// Reads exactly `width` digits at `at`, advancing it; nullopt when any is not a digit.
std::optional<unsigned> read_digits(std::string_view text, std::size_t& at, std::size_t width) {
  if (text.size() < at + width) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  at += width;
  return value;
}

bool read_char(std::string_view text, std::size_t& at, std::string_view accepted) {
  if (at >= text.size() || accepted.find(text[at]) == std::string_view::npos) return false;
  ++at;
  return true;
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

std::optional<std::int64_t> unix_us_from_rfc3339(std::string_view text) {
  std::size_t at = 0;
  const auto year = read_digits(text, at, 4);
  if (!year || !read_char(text, at, "-")) return std::nullopt;
  const auto month = read_digits(text, at, 2);
  if (!month || *month < 1 || *month > 12 || !read_char(text, at, "-")) return std::nullopt;
  const auto day = read_digits(text, at, 2);
  if (!day || *day < 1 || *day > days_in_month(*year, *month) || !read_char(text, at, "Tt ")) return std::nullopt;
  const auto hour = read_digits(text, at, 2);
  if (!hour || *hour > 23 || !read_char(text, at, ":")) return std::nullopt;
  const auto minute = read_digits(text, at, 2);
  if (!minute || *minute > 59 || !read_char(text, at, ":")) return std::nullopt;
  const auto second = read_digits(text, at, 2);
  if (!second || *second > 60) return std::nullopt;  // 60: a leap second
  std::int64_t micros = 0;
  if (read_char(text, at, ".")) {
    std::size_t digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      if (digits < 6) micros = micros * 10 + (text[at] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (!read_char(text, at, "Zz")) {
    const bool east = at < text.size() && text[at] == '+';
    if (!read_char(text, at, "+-")) return std::nullopt;
    const auto offset_hours = read_digits(text, at, 2);
    if (!offset_hours || *offset_hours > 23 || !read_char(text, at, ":")) return std::nullopt;
    const auto offset_mins = read_digits(text, at, 2);
    if (!offset_mins || *offset_mins > 59) return std::nullopt;
    offset_minutes = (east ? 1 : -1) * static_cast<std::int64_t>(*offset_hours * 60 + *offset_mins);
  }
  if (at != text.size()) return std::nullopt;
  const std::int64_t seconds = days_from_civil(*year, *month, *day) * 86400 + *hour * 3600 + *minute * 60 + *second -
                               offset_minutes * 60;
  return seconds * 1000000 + micros;
}

std::optional<std::int64_t> seconds_between(std::string_view from, std::string_view to) {
  const auto start = unix_us_from_rfc3339(from);
  const auto end = unix_us_from_rfc3339(to);
  if (!start || !end || *end < *start) return std::nullopt;
  return (*end - *start) / 1000000;
}

}  // namespace frontdesk
