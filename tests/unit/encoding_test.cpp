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

TEST_CASE("hex round-trips and refuses odd lengths and non-hex") {
  CHECK(hex_encode(std::string("\x01\xab", 2)) == "01ab");
  CHECK(hex_decode("01AB") == std::string("\x01\xab", 2));
  CHECK_FALSE(hex_decode("abc").has_value());
  CHECK_FALSE(hex_decode("zz").has_value());
}
