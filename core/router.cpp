#include "router.hpp"

namespace frontdesk {

std::optional<std::string_view> RouteParams::get(std::string_view name) const {
  for (const auto& [key, value] : values) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

namespace {

// Splits off the next '/'-separated segment; false when none is left.
bool next_segment(std::string_view& rest, std::string_view& segment) {
  if (rest.empty()) return false;
  if (rest.front() == '/') rest.remove_prefix(1);
  const auto slash = rest.find('/');
  segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  return true;
}

}  // namespace

PatternMatch match_pattern(std::string_view pattern, std::string_view path) {
  PatternMatch result;
  std::string_view pattern_segment;
  std::string_view path_segment;
  while (true) {
    const bool more_pattern = next_segment(pattern, pattern_segment);
    const bool more_path = next_segment(path, path_segment);
    if (!more_pattern || !more_path) {
      result.matched = more_pattern == more_path;
      if (!result.matched) result.params.values.clear();
      return result;
    }
    if (pattern_segment.size() >= 2 && pattern_segment.front() == '{' && pattern_segment.back() == '}') {
      if (path_segment.empty()) break;
      result.params.values.emplace_back(std::string(pattern_segment.substr(1, pattern_segment.size() - 2)),
                                        std::string(path_segment));
    } else if (pattern_segment != path_segment) {
      break;
    }
  }
  result.params.values.clear();
  return result;
}

}  // namespace frontdesk
