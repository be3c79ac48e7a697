#pragma once
// Reading untrusted JSON without exceptions: every accessor tolerates absence and type
// mismatch, answering empty.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../config.hpp"
#include "../event.hpp"
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
Direction direction(std::string_view provider_direction);

// Every phone number in a value: a string (one number, or several separated by commas, as
// OpenPhone sends a group text's `to`), or an array of strings or of objects with
// phone_number (Telnyx). Each as phone() gives it.
std::vector<std::string> phones_in(const boost::json::value* value);
// A whole number of seconds from a number or its text ("12", 12, 12.4); nullopt otherwise.
std::optional<std::int64_t> seconds_in(const boost::json::value* value);
// Whether a configured tenant owns the number.
bool owned(const Config& config, std::string_view number);
// ASCII lower case (providers spell statuses QUEUED, Queued, queued).
std::string lower_case(std::string_view text);
// The provider's delivery status in the one vocabulary of Event::status: queued, sent,
// delivered, undelivered, failed, received, or the provider's word, lower case, when it
// is none of those.
std::string message_status(std::string_view provider_status);
Error malformed(std::string message);

}  // namespace frontdesk::normalize
