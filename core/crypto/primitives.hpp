#pragma once
// The cryptographic primitives Frontdesk verifies with, all from libsodium.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace frontdesk::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);
// Strict verification, as libsodium's crypto_sign_verify_detached: 64-byte signatures,
// 32-byte keys, S < L, canonical encodings, small-order keys and R refused.
bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view signature);
// Constant time in the length of the inputs; different lengths are simply unequal.
bool constant_time_equal(std::string_view a, std::string_view b);

template <std::size_t N>
std::string_view bytes_of(const std::array<std::uint8_t, N>& digest) {
  return {reinterpret_cast<const char*>(digest.data()), N};
}

}  // namespace frontdesk::crypto
