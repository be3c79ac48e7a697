#include "event.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>

namespace frontdesk {
namespace {

using Field = std::string Event::*;
// The text fields, in the order a stored or shown event lists them; kind goes after
// provider and direction after to.
constexpr std::array<std::pair<std::string_view, Field>, 3> head{{
    {"event_id", &Event::event_id},
    {"source", &Event::source},
    {"provider", &Event::provider},
}};
constexpr std::array<std::pair<std::string_view, Field>, 9> middle{{
    {"type", &Event::type},
    {"provider_event_id", &Event::provider_event_id},
    {"occurred_at", &Event::occurred_at},
    {"received_at", &Event::received_at},
    {"tenant", &Event::tenant},
    {"call_id", &Event::call_id},
    {"message_id", &Event::message_id},
    {"from", &Event::from},
    {"to", &Event::to},
}};
constexpr std::array<std::pair<std::string_view, Field>, 7> tail{{
    {"text", &Event::text},
    {"stir_attestation", &Event::stir_attestation},
    {"stir_verified", &Event::stir_verified},
    {"payload", &Event::payload},
    {"status", &Event::status},
    {"error_code", &Event::error_code},
    {"media_url", &Event::media_url},
}};

}  // namespace

boost::json::array recipients_to_json(const std::vector<std::string>& recipients) {
  boost::json::array numbers;
  for (const auto& number : recipients) numbers.emplace_back(number);
  return numbers;
}

std::string_view kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::call: return "call";
    case EventKind::message: return "message";
    case EventKind::platform: return "platform";
  }
  return "platform";
}

std::string_view direction_name(Direction direction) {
  switch (direction) {
    case Direction::inbound: return "inbound";
    case Direction::outbound: return "outbound";
    case Direction::unknown: return "";
  }
  return "";
}

std::optional<EventKind> event_kind_of(std::string_view name) {
  if (name == "call") return EventKind::call;
  if (name == "message") return EventKind::message;
  if (name == "platform") return EventKind::platform;
  return std::nullopt;
}

Direction direction_of(std::string_view name) {
  if (name == "inbound") return Direction::inbound;
  if (name == "outbound") return Direction::outbound;
  return Direction::unknown;
}

boost::json::object event_to_json(const Event& event) {
  boost::json::object out;
  for (const auto& [name, member] : head) out[name] = event.*member;
  out["kind"] = kind_name(event.kind);
  for (const auto& [name, member] : middle) out[name] = event.*member;
  out["direction"] = direction_name(event.direction);
  for (const auto& [name, member] : tail) out[name] = event.*member;
  out["recipients"] = recipients_to_json(event.recipients);
  out["duration_s"] = event.duration_s ? boost::json::value(*event.duration_s) : boost::json::value(nullptr);
  if (!event.answered_at.empty()) out["answered_at"] = event.answered_at;
  return out;
}

Event event_from_json(const boost::json::object& object) {
  Event event;
  const auto read = [&](const auto& fields) {
    for (const auto& [name, member] : fields) {
      if (const auto* value = object.if_contains(name); value && value->is_string()) {
        event.*member = std::string(value->get_string());
      }
    }
  };
  read(head);
  read(middle);
  read(tail);
  const auto text = [&](std::string_view name) {
    const auto* value = object.if_contains(name);
    return value && value->is_string() ? std::string_view(value->get_string()) : std::string_view{};
  };
  event.kind = event_kind_of(text("kind")).value_or(EventKind::platform);
  event.direction = direction_of(text("direction"));
  if (const auto* list = object.if_contains("recipients"); list && list->is_array()) {
    for (const auto& number : list->get_array()) {
      if (number.is_string()) event.recipients.emplace_back(number.get_string());
    }
  }
  if (const auto* seconds = object.if_contains("duration_s"); seconds && seconds->is_int64()) {
    event.duration_s = seconds->get_int64();
  }
  if (const auto* value = object.if_contains("answered_at"); value && value->is_string()) {
    event.answered_at = std::string(value->get_string());
  }
  return event;
}

}  // namespace frontdesk
