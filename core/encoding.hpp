#pragma once
// Byte ↔ text encodings, from libsodium (constant-time where it matters).
#include <optional>
#include <string>
#include <string_view>

namespace frontdesk {

std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; nullopt when the text is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);
// The same codec for bytes that are not secret (HTTP bodies crossing the wire): a table
// lookup per character, several times faster than libsodium's constant-time coding, whose
// cost only secrets need to pay. Decoding is as strict: padding required, no stray bits.
std::string base64_encode_public(std::string_view bytes);
std::optional<std::string> base64_decode_public(std::string_view text);
std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace frontdesk
