#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/crypto/primitives.hpp"
#include "core/crypto/sha1.hpp"
#include "core/encoding.hpp"

using namespace frontdesk;
using namespace frontdesk::crypto;

namespace {

template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& digest) {
  return hex_encode(bytes_of(digest));
}

std::string unhex(std::string_view text) { return *hex_decode(text); }

nlohmann::json load_vectors(const std::string& relative) {
  std::ifstream file(std::string(FRONTDESK_VECTORS_DIR) + "/" + relative);
  REQUIRE(file.good());
  return nlohmann::json::parse(file);
}

}  // namespace

TEST_CASE("SHA-1 gives RFC 3174's digests") {
  CHECK(hex(sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(hex(sha1(std::string(1000000, 'a'))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  std::string repeated;
  for (int i = 0; i < 80; ++i) repeated += "01234567";
  CHECK(hex(sha1(repeated)) == "dea356a2cddd90c7a7ecedc5ebb563934f460452");
  CHECK(hex(sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST_CASE("HMAC-SHA1 gives RFC 2202's digests") {
  CHECK(hex(hmac_sha1(std::string(20, '\x0b'), "Hi There")) == "b617318655057264e28bc0b6fb378c8ef146be00");
  CHECK(hex(hmac_sha1("Jefe", "what do ya want for nothing?")) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(hex(hmac_sha1(std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
        "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
  CHECK(hex(hmac_sha1(unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'))) ==
        "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
  CHECK(hex(hmac_sha1(std::string(20, '\x0c'), "Test With Truncation")) ==
        "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
  CHECK(hex(hmac_sha1(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "aa4ae5e15272d00e95705637ce8a3b55ed402112");
  CHECK(hex(hmac_sha1(std::string(80, '\xaa'),
                      "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data")) ==
        "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

TEST_CASE("HMAC-SHA256 gives RFC 4231's digests") {
  CHECK(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("SHA-256 of the empty string and of abc") {
  CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("Ed25519 accepts RFC 8032's signatures and refuses them altered") {
  const auto vectors = load_vectors("signatures.json");
  int checked = 0;
  for (const auto& v : vectors.at("ed25519_rfc8032")) {
    const auto key = unhex(v.at("public_key").get<std::string>());
    const auto message = unhex(v.at("message").get<std::string>());
    auto signature = unhex(v.at("signature").get<std::string>());
    INFO(v.at("source").get<std::string>());
    CHECK(ed25519_verify(key, message, signature));
    signature[5] = static_cast<char>(signature[5] ^ 1);
    CHECK_FALSE(ed25519_verify(key, message, signature));
    CHECK_FALSE(ed25519_verify(key, message + "x", unhex(v.at("signature").get<std::string>())));
    ++checked;
  }
  CHECK(checked >= 3);
}

TEST_CASE("Ed25519 gives Wycheproof's verdict on all 151 cases") {
  const auto suite = load_vectors("wycheproof/ed25519_test.json");
  int cases = 0;
  for (const auto& group : suite.at("testGroups")) {
    const auto key = unhex(group.at("publicKey").at("pk").get<std::string>());
    for (const auto& test : group.at("tests")) {
      INFO("tcId " << test.at("tcId") << ": " << test.at("comment"));
      const auto message = hex_decode(test.at("msg").get<std::string>());
      const auto signature = hex_decode(test.at("sig").get<std::string>());
      const bool expected = test.at("result") == "valid";
      const bool verdict = message && signature && ed25519_verify(key, *message, *signature);
      CHECK(verdict == expected);
      ++cases;
    }
  }
  CHECK(cases == 151);
}

TEST_CASE("constant_time_equal compares bytes and lengths") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK(constant_time_equal("", ""));
}
