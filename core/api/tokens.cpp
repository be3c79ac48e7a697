#include "tokens.hpp"

#include <boost/json.hpp>

#include "../crypto/primitives.hpp"
#include "../encoding.hpp"

namespace frontdesk::api {
namespace {

constexpr std::string_view base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool is_base62(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

std::optional<std::string> token_from_random(std::string_view random_bytes) {
  std::string token(token_prefix);
  for (const unsigned char byte : random_bytes) {
    if (byte >= 248) continue;
    token += base62[byte % 62];
    if (token.size() == token_prefix.size() + token_body_length) return token;
  }
  return std::nullopt;
}

bool well_formed_token(std::string_view token) {
  if (token.size() != token_prefix.size() + token_body_length || token.substr(0, token_prefix.size()) != token_prefix) {
    return false;
  }
  for (const char c : token.substr(token_prefix.size())) {
    if (!is_base62(c)) return false;
  }
  return true;
}

std::string token_hash(std::string_view token) { return hex_encode(crypto::bytes_of(crypto::sha256(token))); }

std::optional<std::string> bearer_token(std::optional<std::string_view> authorization) {
  if (!authorization) return std::nullopt;
  auto value = *authorization;
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  constexpr std::string_view scheme = "bearer ";
  if (value.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    const char c = value[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != scheme[i]) return std::nullopt;
  }
  auto token = value.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return std::string(token);
}

namespace {
template <class T>
boost::json::value or_null(const std::optional<T>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}
}  // namespace

boost::json::object token_document(const objects::protocol::Token& token, std::string_view tenant) {
  boost::json::array scopes;
  for (const auto& scope : token.scopes) scopes.emplace_back(scope);
  return {{"id", token.id},
          {"tenant", tenant},
          {"name", token.name},
          {"scopes", std::move(scopes)},
          {"created_at", token.created_at},
          {"expires_at", or_null(token.expires_at)},
          {"last_used_at", or_null(token.last_used_at)},
          {"revoked_at", or_null(token.revoked_at)},
          {"rate_limit", or_null(token.rate_limit)}};
}

}  // namespace frontdesk::api
