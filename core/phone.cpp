#include "phone.hpp"

namespace frontdesk {
namespace {

// The letters on a phone keypad (ITU E.161).
char keypad_digit(char letter) {
  static constexpr std::string_view keys = "22233344455566677778889999";
  const char upper = (letter >= 'a' && letter <= 'z') ? static_cast<char>(letter - 'a' + 'A') : letter;
  return keys[static_cast<std::size_t>(upper - 'A')];
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_separator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/'; }

bool valid_nanp(std::string_view ten_digits) {
  return ten_digits.size() == 10 && ten_digits[0] >= '2' && ten_digits[3] >= '2';
}

}  // namespace

std::optional<std::string> normalize_e164(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  bool international = false;
  if (!text.empty() && text.front() == '+') {
    international = true;
    text.remove_prefix(1);
  } else if (text.substr(0, 2) == "00") {
    international = true;
    text.remove_prefix(2);
  }
  std::string digits;
  bool seen_letter = false;
  for (const char c : text) {
    if (is_digit(c)) {
      if (seen_letter) return std::nullopt;  // vanity letters end a number
      digits.push_back(c);
    } else if (is_letter(c)) {
      // Vanity letters follow at least an area code; a bare word is no number, even one
      // that spells ten digits ("Restricted" caller id → 737-874-2833).
      if (!seen_letter && digits.size() < 3) return std::nullopt;
      seen_letter = true;
      digits.push_back(keypad_digit(c));
    } else if (!is_separator(c)) {
      return std::nullopt;
    }
  }
  if (international) {
    if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
    if (digits[0] == '1' && !valid_nanp(std::string_view(digits).substr(1))) return std::nullopt;
    return "+" + digits;
  }
  if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
  if (!valid_nanp(digits)) return std::nullopt;
  return "+1" + digits;
}

std::string display_number(std::string_view e164) {
  if (e164.size() == 12 && e164.substr(0, 2) == "+1") {
    return "+1 " + std::string(e164.substr(2, 3)) + "-" + std::string(e164.substr(5, 3)) + "-" +
           std::string(e164.substr(8));
  }
  return std::string(e164);
}

}  // namespace frontdesk
