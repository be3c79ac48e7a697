#include "primitives.hpp"

#include <sodium.h>

namespace frontdesk::crypto {
namespace {
const unsigned char* as_bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
}  // namespace

Sha256Digest sha256(std::string_view data) {
  Sha256Digest digest{};
  crypto_hash_sha256(digest.data(), as_bytes(data), data.size());
  return digest;
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
  Sha256Digest digest{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, as_bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, as_bytes(message), message.size());
  crypto_auth_hmacsha256_final(&state, digest.data());
  return digest;
}

bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(as_bytes(signature), as_bytes(message), message.size(), as_bytes(public_key)) ==
         0;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace frontdesk::crypto
