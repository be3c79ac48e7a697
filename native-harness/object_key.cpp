#include "object_key.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "core/encoding.hpp"

namespace frontdesk::native {
namespace {

// Most file systems take 255 bytes per name; leave room for ".sqlite" and its journals.
constexpr std::size_t max_component = 180;

bool is_safe(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

std::string percent_encode(std::string_view name, bool encode_dots) {
  constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    if (is_safe(c) && !(encode_dots && c == '.')) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace

std::string file_name_component(std::string_view name) {
  const bool dots_only = std::all_of(name.begin(), name.end(), [](char c) { return c == '.'; });
  auto encoded = percent_encode(name, dots_only);
  if (encoded.empty()) return "%";  // an empty name still needs a file of its own
  if (encoded.size() <= max_component) return encoded;
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(name.data()), name.size());
  const auto hash = hex_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  return encoded.substr(0, max_component - hash.size() - 1) + "~" + hash;
}

}  // namespace frontdesk::native
