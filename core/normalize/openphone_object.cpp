#include "openphone_object.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "fields.hpp"

namespace frontdesk::normalize {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, 7> known_types{
    "call.ringing",           "call.completed",          "call.recording.completed", "call.summary.completed",
    "call.transcript.completed", "message.received", "message.delivered"};

bool ours(const Config& config, std::string_view number) {
  for (const auto& [name, tenant] : config.tenants) {
    for (const auto& own : tenant.numbers) {
      if (own == number) return true;
    }
  }
  return false;
}

void assign_call_numbers(const json::object& call, const Config& config, Event& event) {
  std::vector<std::string> participants;
  if (const auto* list = at(call, {"participants"}); list && list->is_array()) {
    for (const auto& item : list->get_array()) {
      if (const auto* text = item.if_string()) participants.push_back(phone(*text));
    }
  }
  std::string our_side;
  std::string their_side;
  for (const auto& participant : participants) {
    if (our_side.empty() && ours(config, participant)) {
      our_side = participant;
    } else if (their_side.empty()) {
      their_side = participant;
    }
  }
  const bool outbound = event.direction == "outbound";
  event.from = outbound ? our_side : their_side;
  event.to = outbound ? their_side : our_side;
}

}  // namespace

void fill_openphone_event(const json::object& root, const Config& config, Event& event) {
  const auto type = text_at(root, {"type"});
  event.occurred_at = text_at(root, {"createdAt"});
  const bool known = std::find(known_types.begin(), known_types.end(), type) != known_types.end();
  if (!known) {
    event.kind = "platform";
    event.type = "platform." + (type.empty() ? std::string("event") : type);
    return;
  }
  static const json::object empty;
  const auto* found = object_at(root, {"data", "object"});
  const auto& object = found ? *found : empty;
  event.type = type;
  event.direction = direction(text_at(object, {"direction"}));
  if (type.rfind("message.", 0) == 0) {
    event.kind = "message";
    event.message_id = text_at(object, {"id"});
    event.from = phone(text_at(object, {"from"}));
    // Messages have `to` as a list of numbers.
    if (const auto* to = at(object, {"to"}); to && to->is_array() && !to->get_array().empty()) {
      if (const auto* first = to->get_array()[0].if_string()) event.to = phone(*first);
    } else {
      event.to = phone(text_at(object, {"to"}));
    }
    event.text = text_at(object, {"text"});
    if (event.text.empty()) event.text = text_at(object, {"body"});
    return;
  }
  event.kind = "call";
  const auto call_id = text_at(object, {"callId"});
  event.call_id = call_id.empty() ? text_at(object, {"id"}) : call_id;
  event.answered_at = text_at(object, {"answeredAt"});
  assign_call_numbers(object, config, event);
}

}  // namespace frontdesk::normalize
