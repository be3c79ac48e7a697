#include "encoding.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace frontdesk {
namespace {

const unsigned char* as_bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* as_bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

constexpr std::string_view base64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Each character's six bits, or -1 for a character outside the alphabet.
constexpr std::array<std::int8_t, 256> sextets() {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < base64_alphabet.size(); ++i) {
    table[static_cast<unsigned char>(base64_alphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr auto sextet_of = sextets();

}  // namespace

std::string base64_encode_public(std::string_view bytes) {
  const auto* in = as_bytes(bytes);
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  std::size_t o = 0;
  std::size_t i = 0;
  const auto digit = [&](std::uint32_t group, int shift) { out[o++] = base64_alphabet[(group >> shift) & 63U]; };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    digit(group, 18);
    digit(group, 12);
    digit(group, 6);
    digit(group, 0);
  }
  if (const auto rest = bytes.size() - i; rest > 0) {
    const std::uint32_t group = (std::uint32_t{in[i]} << 16) | (rest == 2 ? std::uint32_t{in[i + 1]} << 8 : 0U);
    digit(group, 18);
    digit(group, 12);
    if (rest == 2) digit(group, 6);
  }
  return out;
}

std::optional<std::string> base64_decode_public(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  const auto digits = text.substr(0, text.size() - padding);
  std::string out(digits.size() * 3 / 4, '\0');
  std::size_t o = 0;
  std::uint32_t pending = 0;  // bits read and not yet written, `bits` of them
  int bits = 0;
  for (const char c : digits) {
    const auto sextet = sextet_of[static_cast<unsigned char>(c)];
    if (sextet < 0) return std::nullopt;
    pending = ((pending << 6) | static_cast<std::uint32_t>(sextet)) & 0xFFFU;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<char>((pending >> bits) & 0xFFU);
    }
  }
  // What is left must be padding's zero bits, as libsodium requires.
  if ((pending & ((1U << bits) - 1U)) != 0) return std::nullopt;
  out.resize(o);
  return out;
}

std::string base64_encode(std::string_view bytes) {
  constexpr int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), as_bytes(bytes), bytes.size(), variant);
  out.pop_back();  // the terminating NUL libsodium writes
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(as_bytes(out), out.size(), text.data(), text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string hex_encode(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), as_bytes(bytes), bytes.size());
  out.pop_back();
  return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out(text.size() / 2, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(as_bytes(out), out.size(), text.data(), text.size(), nullptr, &length, &end) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

}  // namespace frontdesk
