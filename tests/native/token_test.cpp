#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/api/tokens.hpp"
#include "support.hpp"
#include "token_command.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;
namespace json = boost::json;

namespace {

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

Outcome token_cli(const HostFixture& fixture, std::vector<std::string> words) {
  words.insert(words.end(), {"--db", (fixture.dir / "fd.db").string(), "--tenant", "acme"});
  std::vector<std::string_view> args(words.begin(), words.end());
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_token(args, out, err);
  return {status, out.str(), err.str()};
}

Response with_token(HostFixture& fixture, std::string_view target, const std::string& token) {
  auto request = make_request("GET", target);
  request.headers.add("authorization", "Bearer " + token);
  std::optional<Response> response;
  fixture.host.handle(std::move(request), [&](Response r) { response = std::move(r); });
  fixture.io.restart();
  fixture.io.run();
  REQUIRE(response);
  return *response;
}

}  // namespace

TEST_CASE("frontdesk token create mints a working token shown once, stored only as its hash") {
  HostFixture fixture;
  const auto created = token_cli(fixture, {"create", "--scopes", "calls:read,tokens:admin", "--name", "first admin"});
  REQUIRE(created.status == 0);
  const auto token = json::parse(created.out).as_object();
  const std::string plaintext(token.at("token").as_string());
  CHECK(plaintext.rfind("fd_", 0) == 0);
  CHECK(plaintext.size() == 43);
  CHECK(token.at("name") == "first admin");
  CHECK(token.at("tenant") == "acme");
  CHECK(token.at("scopes") == json::array{"calls:read", "tokens:admin"});

  const auto listed = with_token(fixture, "/api/v1/calls", plaintext);
  CHECK(listed.status == 200);
  CHECK(listed.body == R"({"data":[],"has_more":false,"next_cursor":null})");
  CHECK(listed.headers.get("ratelimit-limit") == "600");

  const auto tokens = token_cli(fixture, {"list"});
  REQUIRE(tokens.status == 0);
  CHECK(tokens.out.find(plaintext) == std::string::npos);
  CHECK(tokens.out.find("hash") == std::string::npos);

  // On disk: the hash is there, the plaintext nowhere (the database, its WAL, the KV store).
  std::string stored;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(fixture.dir.path())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    stored.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  CHECK(stored.find(plaintext) == std::string::npos);
  CHECK(stored.find(api::token_hash(plaintext)) != std::string::npos);
}

TEST_CASE("frontdesk token revoke stops the token on the very next request") {
  HostFixture fixture;
  const auto created = token_cli(fixture, {"create", "--scopes", "calls:read"});
  REQUIRE(created.status == 0);
  const auto token = json::parse(created.out).as_object();
  const std::string plaintext(token.at("token").as_string());
  REQUIRE(with_token(fixture, "/api/v1/calls", plaintext).status == 200);
  REQUIRE(token_cli(fixture, {"revoke", "--id", std::string(token.at("id").as_string())}).status == 0);
  const auto refused = with_token(fixture, "/api/v1/calls", plaintext);
  CHECK(refused.status == 401);
  CHECK(refused.body == R"({"error":{"code":"unauthenticated","message":"a valid API token is required"}})");
}

TEST_CASE("frontdesk token refuses unknown scopes and ids, and needs its flags") {
  HostFixture fixture;
  const auto unknown = token_cli(fixture, {"create", "--scopes", "calls:read,calls:delete"});
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("unknown scope 'calls:delete'") != std::string::npos);
  CHECK(token_cli(fixture, {"create"}).status == 2);
  CHECK(token_cli(fixture, {"create", "--scopes", "calls:read", "--expires-in", "soon"}).status == 2);
  const auto missing = token_cli(fixture, {"revoke", "--id", "tok_0000000000000000"});
  CHECK(missing.status == 1);
  CHECK(missing.err == "frontdesk token: no such token\n");
}

TEST_CASE("frontdesk token create takes scopes separated by commas or spaces, or repeated") {
  HostFixture fixture;
  const auto created = token_cli(fixture, {"create", "--scopes", "calls:read calls:write", "--scopes", "audit:read,calls:read"});
  REQUIRE(created.status == 0);
  CHECK(json::parse(created.out).at("scopes") == json::array{"calls:read", "calls:write", "audit:read"});
}

TEST_CASE("frontdesk token without --db uses $FRONTDESK_DB, creating its folder") {
  TempDir dir;
  const auto db = (dir / "nested" / "frontdesk.db").string();
  ::setenv("FRONTDESK_DB", db.c_str(), 1);
  const std::vector<std::string_view> args{"create", "--tenant", "acme", "--scopes", "calls:read"};
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_token(args, out, err);
  ::unsetenv("FRONTDESK_DB");
  CHECK(status == 0);
  CHECK(err.str().empty());
  CHECK(std::filesystem::exists(db));
}
