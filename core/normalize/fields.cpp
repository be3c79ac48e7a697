#include "fields.hpp"

#include <boost/json.hpp>

#include "../phone.hpp"

namespace frontdesk::normalize {
namespace json = boost::json;

Error malformed(std::string message) { return make_error(ErrorCode::malformed_body, std::move(message)); }

Result<json::object> parse_object(std::string_view body) {
  json::parse_options options;
  options.max_depth = 32;
  json::error_code ec;
  auto value = json::parse(body, ec, {}, options);
  if (ec) return malformed("body is not valid JSON");
  auto* object = value.if_object();
  if (!object) return malformed("body must be a JSON object");
  return std::move(*object);
}

const json::value* at(const json::object& object, std::initializer_list<std::string_view> path) {
  const json::object* current = &object;
  const json::value* value = nullptr;
  for (const auto key : path) {
    if (!current) return nullptr;
    value = current->if_contains(key);
    if (!value) return nullptr;
    current = value->if_object();
  }
  return value;
}

const json::object* object_at(const json::object& object, std::initializer_list<std::string_view> path) {
  const auto* value = at(object, path);
  return value ? value->if_object() : nullptr;
}

std::string text_at(const json::object& object, std::initializer_list<std::string_view> path) {
  const auto* value = at(object, path);
  if (!value) return {};
  if (const auto* s = value->if_string()) return std::string(*s);
  if (value->is_int64()) return std::to_string(value->get_int64());
  if (value->is_uint64()) return std::to_string(value->get_uint64());
  if (value->is_bool()) return value->get_bool() ? "true" : "false";
  return {};
}

std::string phone(std::string_view text) {
  auto e164 = normalize_e164(text);
  return e164 ? *e164 : std::string(text);
}

Direction direction(std::string_view provider_direction) {
  if (provider_direction == "incoming" || provider_direction == "inbound") return Direction::inbound;
  if (provider_direction.substr(0, 8) == "outbound" || provider_direction == "outgoing") return Direction::outbound;
  return Direction::unknown;
}

std::vector<std::string> phones_in(const json::value* value) {
  std::vector<std::string> numbers;
  if (!value) return numbers;
  if (const auto* text = value->if_string()) {
    std::string_view rest(*text);
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      auto part = rest.substr(0, comma);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (!part.empty()) numbers.push_back(phone(part));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return numbers;
  }
  if (const auto* list = value->if_array()) {
    for (const auto& item : *list) {
      if (const auto* text = item.if_string()) {
        numbers.push_back(phone(*text));
      } else if (const auto* object = item.if_object()) {
        if (auto number = text_at(*object, {"phone_number"}); !number.empty()) numbers.push_back(phone(number));
      }
    }
  }
  return numbers;
}

std::optional<std::int64_t> seconds_in(const json::value* value) {
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() < (1ULL << 62)) return static_cast<std::int64_t>(value->get_uint64());
  if (value->is_double() && value->get_double() >= 0 && value->get_double() < 1e12) {
    return static_cast<std::int64_t>(value->get_double() + 0.5);
  }
  const auto* text = value->if_string();
  if (!text || text->empty() || text->size() > 12) return std::nullopt;
  std::int64_t seconds = 0;
  for (const char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return seconds;
}

bool owned(const Config& config, std::string_view number) {
  for (const auto& [name, tenant] : config.tenants) {
    for (const auto& own : tenant.numbers) {
      if (own == number) return true;
    }
  }
  return false;
}

std::string lower_case(std::string_view text) {
  std::string lower(text);
  for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower;
}

std::string message_status(std::string_view provider_status) {
  const auto status = lower_case(provider_status);
  if (status == "sending" || status == "accepted" || status == "scheduled") return "queued";
  if (status == "delivery_unconfirmed") return "sent";
  if (status == "sending_failed" || status == "delivery_failed" || status == "expired" || status == "canceled") {
    return "failed";
  }
  if (status == "webhook_delivered" || status == "receiving") return "received";
  return status;
}

}  // namespace frontdesk::normalize
