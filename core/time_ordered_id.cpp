#include "time_ordered_id.hpp"

#include <algorithm>

#include "encoding.hpp"

namespace frontdesk {

std::string time_ordered_id(std::string_view prefix, std::int64_t now_ms, std::string_view random) {
  constexpr std::int64_t max_time = (std::int64_t{1} << 48) - 1;
  const auto time = static_cast<std::uint64_t>(std::clamp<std::int64_t>(now_ms, 0, max_time));
  std::string time_bytes(6, '\0');
  for (std::size_t i = 0; i < time_bytes.size(); ++i) {
    time_bytes[i] = static_cast<char>((time >> (8 * (time_bytes.size() - 1 - i))) & 0xff);
  }
  std::string id(prefix);
  id += hex_encode(time_bytes);
  id += hex_encode(random);
  return id;
}

}  // namespace frontdesk
