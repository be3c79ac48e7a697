#include "common.hpp"

#include <algorithm>

#include "verify.hpp"

namespace frontdesk::verify {

Error missing_signature(std::string_view what) {
  return make_error(ErrorCode::missing_signature, "missing " + std::string(what));
}

Error bad_signature(std::string_view what) { return make_error(ErrorCode::bad_signature, std::string(what)); }

Error stale_timestamp() {
  return make_error(ErrorCode::stale_timestamp, "the signature's timestamp is outside the allowed tolerance");
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  // Saturates far beyond any real time, so absurd values read as stale and the
  // millisecond arithmetic of the callers cannot overflow.
  constexpr std::int64_t ceiling = 1'000'000'000'000'000;
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = std::min(value * 10 + (c - '0'), ceiling);
  }
  return value;
}

bool within(std::int64_t timestamp_ms, std::int64_t now_ms, std::int64_t tolerance_s) {
  const auto distance = timestamp_ms > now_ms ? timestamp_ms - now_ms : now_ms - timestamp_ms;
  return distance <= tolerance_s * 1000;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view strip_prefix(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix ? text.substr(prefix.size()) : text;
}

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  for (auto& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::string media_type(std::string_view content_type) {
  return ascii_lower(trim(content_type.substr(0, content_type.find(';'))));
}

}  // namespace frontdesk::verify
