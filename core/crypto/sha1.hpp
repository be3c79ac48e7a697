#pragma once
// SHA-1 and HMAC-SHA1 (RFC 3174, RFC 2104), only because Twilio signs with HMAC-SHA1 and
// libsodium has no SHA-1. Everything else comes from libsodium.
#include <array>
#include <cstdint>
#include <string_view>

namespace frontdesk::crypto {

using Sha1Digest = std::array<std::uint8_t, 20>;

Sha1Digest sha1(std::string_view data);
Sha1Digest hmac_sha1(std::string_view key, std::string_view message);

}  // namespace frontdesk::crypto
