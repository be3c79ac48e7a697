#include <catch2/catch.hpp>

#include "core/api/scopes.hpp"
#include "core/api/tokens.hpp"

using namespace frontdesk;
using namespace frontdesk::api;

TEST_CASE("a token is fd_ and 40 base62 characters drawn without bias from host randomness") {
  std::string bytes;
  for (int i = 0; i < 64; ++i) bytes.push_back(static_cast<char>(i * 4));  // 0, 4, …, 252: 252 is skipped
  const auto token = token_from_random(bytes);
  REQUIRE(token);
  CHECK(token->size() == 43);
  CHECK(token->substr(0, 13) == "fd_048CGKOSWa");  // each byte mod 62 into 0-9A-Za-z
  CHECK(well_formed_token(*token));
  CHECK_FALSE(token_from_random(std::string(39, 'a')));  // too few usable bytes
  CHECK_FALSE(token_from_random(std::string(64, '\xff')));  // none below 248
}

TEST_CASE("well-formed tokens: the prefix, the length and base62 only") {
  const std::string good = "fd_" + std::string(40, 'A');
  CHECK(well_formed_token(good));
  CHECK_FALSE(well_formed_token("fd_" + std::string(39, 'A')));
  CHECK_FALSE(well_formed_token("fd_" + std::string(41, 'A')));
  CHECK_FALSE(well_formed_token("sk_" + std::string(40, 'A')));
  CHECK_FALSE(well_formed_token("fd_" + std::string(39, 'A') + "-"));
  CHECK(token_hash(good).size() == 64);
  CHECK(token_hash(good) != token_hash("fd_" + std::string(40, 'B')));
}

TEST_CASE("the bearer token is read from Authorization, case-insensitively for the scheme") {
  CHECK(bearer_token(std::string_view("Bearer fd_abc")) == "fd_abc");
  CHECK(bearer_token(std::string_view("bearer  fd_abc ")) == "fd_abc");
  CHECK_FALSE(bearer_token(std::string_view("Basic Zm9vOmJhcg==")));
  CHECK_FALSE(bearer_token(std::string_view("Bearer")));
  CHECK_FALSE(bearer_token(std::string_view("Bearer ")));
  CHECK_FALSE(bearer_token(std::nullopt));
}

TEST_CASE("roles: the defaults, a tenant's own mapping, and an unknown role with nothing") {
  const reception::TenantPolicy defaults;
  const auto admin = role_scopes("admin", defaults);
  CHECK(admin.size() == 13);
  CHECK(admin.count("platform") == 0);
  CHECK(role_scopes("supervisor", defaults) ==
        Scopes{"audit:read", "calls:read", "calls:write", "endpoints:read", "endpoints:write", "events:read",
               "messages:read", "messages:write", "metrics:read", "outbound:write", "registry:read",
               "registry:write"});
  CHECK(role_scopes("agent", defaults) == Scopes{"calls:read", "calls:write", "messages:read", "messages:write"});
  CHECK(role_scopes("viewer", defaults) ==
        Scopes{"audit:read", "calls:read", "endpoints:read", "events:read", "messages:read", "metrics:read",
               "registry:read"});
  CHECK(role_scopes("intern", defaults).empty());
  reception::TenantPolicy custom;
  custom.roles["dispatcher"] = {"calls:read", "platform", "nonsense"};
  custom.roles["viewer"] = {"calls:read"};
  CHECK(role_scopes("dispatcher", custom) == Scopes{"calls:read"});
  CHECK(role_scopes("viewer", custom) == Scopes{"calls:read"});
}
