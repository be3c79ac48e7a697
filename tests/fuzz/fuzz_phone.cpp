// Phone number normalization on arbitrary text.
#include <cstdint>
#include <string_view>

#include "core/phone.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto e164 = frontdesk::normalize_e164(input)) (void)frontdesk::display_number(*e164);
  return 0;
}
