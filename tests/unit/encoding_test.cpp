#include <catch2/catch.hpp>

#include "core/encoding.hpp"

using namespace frontdesk;

TEST_CASE("base64 round-trips arbitrary bytes, RFC 4648 vectors included") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  const std::string bytes("\x00\xff\x10\x80 binary", 11);
  CHECK(base64_decode(base64_encode(bytes)) == bytes);
}

TEST_CASE("base64 decoding refuses what is not base64") {
  CHECK_FALSE(base64_decode("Zm9v!").has_value());
  CHECK_FALSE(base64_decode("Zm9vYg=").has_value());
  CHECK(base64_decode("Zm9vYg==") == std::string("foob"));
}

TEST_CASE("the public base64 codec writes what libsodium writes, for every length and byte") {
  std::string bytes;
  for (int length = 0; length <= 300; ++length) {
    INFO("length " << length);
    CHECK(base64_encode_public(bytes) == base64_encode(bytes));
    CHECK(base64_decode_public(base64_encode(bytes)) == bytes);
    bytes.push_back(static_cast<char>((length * 151 + 7) % 256));
  }
  CHECK(base64_encode_public("foob") == "Zm9vYg==");
  CHECK(base64_encode_public("fooba") == "Zm9vYmE=");
}

TEST_CASE("the public base64 codec refuses what libsodium refuses") {
  // Not a multiple of four, a character outside the alphabet, padding in the middle or too
  // much of it, and a last character whose unused bits are not zero ("Zh==" is not "Zg==").
  for (const std::string_view text :
       {"Zm9vYg=", "Zm9v!mFy", "Zm9v\nmFy", "Zg==Zm9v", "Z===", "====", "Zh==", "Zm9=", "Zm9vYmF=", "-_==", "Zm9"}) {
    INFO(text);
    CHECK_FALSE(base64_decode(text).has_value());
    CHECK_FALSE(base64_decode_public(text).has_value());
  }
  CHECK(base64_decode_public("") == std::string{});
  CHECK(base64_decode_public("Zm9vYmE=") == std::string("fooba"));
}

TEST_CASE("hex round-trips and refuses odd lengths and non-hex") {
  CHECK(hex_encode(std::string("\x01\xab", 2)) == "01ab");
  CHECK(hex_decode("01AB") == std::string("\x01\xab", 2));
  CHECK_FALSE(hex_decode("abc").has_value());
  CHECK_FALSE(hex_decode("zz").has_value());
}
