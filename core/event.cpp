#include "event.hpp"

#include <array>
#include <boost/json/array.hpp>

namespace frontdesk {
namespace {

using Field = std::string Event::*;
constexpr std::array<std::pair<std::string_view, Field>, 21> fields{{
    {"event_id", &Event::event_id},
    {"source", &Event::source},
    {"provider", &Event::provider},
    {"kind", &Event::kind},
    {"type", &Event::type},
    {"provider_event_id", &Event::provider_event_id},
    {"occurred_at", &Event::occurred_at},
    {"received_at", &Event::received_at},
    {"tenant", &Event::tenant},
    {"call_id", &Event::call_id},
    {"message_id", &Event::message_id},
    {"from", &Event::from},
    {"to", &Event::to},
    {"direction", &Event::direction},
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

boost::json::object event_to_json(const Event& event) {
  boost::json::object out;
  for (const auto& [name, member] : fields) out[name] = event.*member;
  out["recipients"] = recipients_to_json(event.recipients);
  out["duration_s"] = event.duration_s ? boost::json::value(*event.duration_s) : boost::json::value(nullptr);
  if (!event.answered_at.empty()) out["answered_at"] = event.answered_at;
  return out;
}

Event event_from_json(const boost::json::object& object) {
  Event event;
  for (const auto& [name, member] : fields) {
    if (const auto* value = object.if_contains(name); value && value->is_string()) {
      event.*member = std::string(value->get_string());
    }
  }
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
