#pragma once
// API tokens as text: `fd_` + 40 base62 characters (a prefix secret scanners recognise),
// stored only as the SHA-256 of the whole token.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "../objects/ledger/protocol.hpp"

namespace frontdesk::api {

inline constexpr std::string_view token_prefix = "fd_";
inline constexpr std::size_t token_body_length = 40;

// Turns host randomness into a token body: bytes below 248 (4 × 62) map to base62 without
// bias, others are skipped. nullopt when the bytes ran out first (ask for more).
std::optional<std::string> token_from_random(std::string_view random_bytes);

// `fd_` + exactly 40 base62 characters.
bool well_formed_token(std::string_view token);

// Lowercase hex SHA-256 of the token: the only form that is ever stored or looked up.
std::string token_hash(std::string_view token);

// The token from `Authorization: Bearer <token>`; nullopt when the header is missing, of
// another scheme, or not a well-formed token.
std::optional<std::string> bearer_token(std::optional<std::string_view> authorization);

// A token as the API and `frontdesk token` show it (docs/api.md): its tenant, and every
// field, null when unset. The plaintext is added by the caller that minted it.
boost::json::object token_document(const objects::protocol::Token& token, std::string_view tenant);

}  // namespace frontdesk::api
