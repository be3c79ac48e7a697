// The form / query parser and percent decoding.
#include <cstdint>
#include <string_view>

#include "core/http.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto params = frontdesk::parse_query(input);
  for (const auto& [name, value] : params) (void)frontdesk::find_param(params, name);
  (void)frontdesk::percent_decode(input, false);
  return 0;
}
