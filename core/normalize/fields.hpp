#pragma once
// Reading untrusted JSON without exceptions: every accessor tolerates absence and type
// mismatch, answering empty.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "../result.hpp"

namespace frontdesk::normalize {

// Parses a body as JSON with limits on depth; must be an object.
Result<boost::json::object> parse_object(std::string_view body);

// Follows keys from an object; null when any step is missing or not an object.
const boost::json::value* at(const boost::json::object& object, std::initializer_list<std::string_view> path);
const boost::json::object* object_at(const boost::json::object& object, std::initializer_list<std::string_view> path);
// A string, a number as text, or a bool as "true"/"false"; "" otherwise.
std::string text_at(const boost::json::object& object, std::initializer_list<std::string_view> path);

// E.164 when the text is a phone number, else the text unchanged.
std::string phone(std::string_view text);
std::string direction(std::string_view provider_direction);
Error malformed(std::string message);

}  // namespace frontdesk::normalize
