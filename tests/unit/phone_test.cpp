#include <catch2/catch.hpp>

#include <string>

#include "core/phone.hpp"

using namespace frontdesk;

namespace {

std::string e164(std::string_view text) { return normalize_e164(text).value_or("<invalid>"); }

}  // namespace

TEST_CASE("NANP numbers as people write them all become the same E.164") {
  CHECK(e164("+1 (888) 611-5384") == "+18886115384");
  CHECK(e164("+18886115384") == "+18886115384");
  CHECK(e164("18886115384") == "+18886115384");
  CHECK(e164("1-888-611-5384") == "+18886115384");
  CHECK(e164("8886115384") == "+18886115384");
  CHECK(e164("(888) 611-5384") == "+18886115384");
  CHECK(e164("888.611.5384") == "+18886115384");
  CHECK(e164("888/611-5384") == "+18886115384");
  CHECK(e164("  +1 888 611 5384  ") == "+18886115384");
}

TEST_CASE("vanity letters read as their keypad digits (ITU E.161)") {
  CHECK(e164("1-888-474-TREE") == "+18884748733");
  CHECK(e164("1-888-474-tree") == "+18884748733");
  // J=5 E=3 X=9 T=8: JEXT is 5398. (The number +1 888-611-5384 would be JETH, JEVG, ….)
  CHECK(e164("1-888-611-JEXT") == "+18886115398");
  CHECK(e164("1-888-611-JETH") == "+18886115384");
  CHECK(e164("888-GOT-JUNK") == "+18884685865");
  CHECK(e164("+1 800 FLOWERS") == "+18003569377");
  CHECK(e164("1-800-PQRS-WXY") == "+18007777999");
  CHECK(e164("1-800-ABC-DEFG") == "+18002223334");
}

TEST_CASE("international numbers keep their country code, after + or 00") {
  CHECK(e164("+44 20 7946 0958") == "+442079460958");
  CHECK(e164("0044 20 7946 0958") == "+442079460958");
  CHECK(e164("+49 30 901820") == "+4930901820");
  CHECK(e164("00 1 888 611 5384") == "+18886115384");
  CHECK(e164("+861012345678901") == "+861012345678901");  // 15 digits, E.164's maximum
}

TEST_CASE("numbers of the wrong length are refused") {
  CHECK_FALSE(normalize_e164("611-5384").has_value());
  CHECK_FALSE(normalize_e164("888-611-538").has_value());
  CHECK_FALSE(normalize_e164("888-611-53845").has_value());
  CHECK_FALSE(normalize_e164("1-888-611-53845").has_value());
  CHECK_FALSE(normalize_e164("28886115384").has_value());
  CHECK_FALSE(normalize_e164("+1 888 611 538").has_value());
  CHECK_FALSE(normalize_e164("+1 888 611 53845").has_value());
  CHECK_FALSE(normalize_e164("+4412345").has_value());
  CHECK_FALSE(normalize_e164("+8610123456789012").has_value());
  CHECK_FALSE(normalize_e164("1-888-474-TREES").has_value());
}

TEST_CASE("letters in the middle of the digits, or other characters, are refused") {
  CHECK_FALSE(normalize_e164("1-888-6A1-5384").has_value());
  CHECK_FALSE(normalize_e164("1-888-TREE-12").has_value());
  CHECK_FALSE(normalize_e164("call 1-888-611-5384").has_value());
  CHECK_FALSE(normalize_e164("888-611-5384 x12").has_value());
  CHECK_FALSE(normalize_e164("888_611_5384").has_value());
  CHECK_FALSE(normalize_e164("888-611-5384#").has_value());
  CHECK_FALSE(normalize_e164("++18886115384").has_value());
  CHECK_FALSE(normalize_e164("1+8886115384").has_value());
  CHECK_FALSE(normalize_e164("888\t611\t5384").has_value());
}

TEST_CASE("a NANP area code or exchange starting with 0 or 1 is refused") {
  CHECK_FALSE(normalize_e164("088-611-5384").has_value());
  CHECK_FALSE(normalize_e164("188-611-5384").has_value());
  CHECK_FALSE(normalize_e164("888-011-5384").has_value());
  CHECK_FALSE(normalize_e164("888-111-5384").has_value());
  CHECK_FALSE(normalize_e164("1-088-611-5384").has_value());
  CHECK_FALSE(normalize_e164("+1 188 611 5384").has_value());
  CHECK_FALSE(normalize_e164("+1 888 111 5384").has_value());
  CHECK(e164("288-211-0000") == "+12882110000");
}

TEST_CASE("a country code cannot start with 0") {
  CHECK_FALSE(normalize_e164("+044 20 7946 0958").has_value());
  CHECK_FALSE(normalize_e164("000 44 20 7946 0958").has_value());
}

TEST_CASE("empty and separator-only text is not a number") {
  CHECK_FALSE(normalize_e164("").has_value());
  CHECK_FALSE(normalize_e164("   ").has_value());
  CHECK_FALSE(normalize_e164("+").has_value());
  CHECK_FALSE(normalize_e164("00").has_value());
  CHECK_FALSE(normalize_e164("() - .").has_value());
  CHECK_FALSE(normalize_e164("anonymous").has_value());
}

TEST_CASE("caller-id words are not numbers, even when their letters make ten digits") {
  // RESTRICTED on a keypad is 737-874-2833, a valid-looking NANP number.
  CHECK_FALSE(normalize_e164("Restricted").has_value());
  CHECK_FALSE(normalize_e164("RESTRICTED").has_value());
  CHECK_FALSE(normalize_e164("Unavailable").has_value());
  CHECK_FALSE(normalize_e164("Private").has_value());
  CHECK_FALSE(normalize_e164("88-GOTJUNK-5").has_value());
}

TEST_CASE("display: NANP as +1 NPA-NXX-XXXX, anything else unchanged") {
  CHECK(display_number("+18886115384") == "+1 888-611-5384");
  CHECK(display_number("+442079460958") == "+442079460958");
  CHECK(display_number("+4930901820") == "+4930901820");
  CHECK(display_number("") == "");
  CHECK(display_number(*normalize_e164("1-888-474-TREE")) == "+1 888-474-8733");
}
