// Telnyx wraps everything in data: {event_type, id, occurred_at, payload: {…}}. Calls
// carry call_control_id (what commands address), from/to as E.164 strings and STIR/SHAKEN;
// messages carry from.phone_number and to[].phone_number. meta.attempt changes on retries,
// data.id does not: data.id is the dedupe key.
#include <array>

#include "../tenants.hpp"
#include "fields.hpp"
#include "normalize.hpp"

namespace frontdesk::normalize {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> call_types{{
    {"call.initiated", "call.initiated"},
    {"call.answered", "call.answered"},
    {"call.bridged", "call.bridged"},
    {"call.hangup", "call.hangup"},
    {"call.speak.ended", "call.speak.ended"},
    {"call.recording.saved", "call.recording.completed"},
    {"call.transcription", "call.transcript.completed"},
}};

std::string_view call_type(std::string_view telnyx_type) {
  for (const auto& [from, to] : call_types) {
    if (from == telnyx_type) return to;
  }
  return {};
}

}  // namespace

Result<Event> telnyx(const Delivery& delivery) {
  auto root = parse_object(delivery.request.body);
  if (!root) return root.error();
  const auto* data = object_at(*root, {"data"});
  if (!data) return malformed("Telnyx deliveries carry a data object");
  Event event;
  event.provider_event_id = text_at(*data, {"id"});
  event.occurred_at = text_at(*data, {"occurred_at"});
  const auto type = text_at(*data, {"event_type"});
  const auto* payload = object_at(*data, {"payload"});
  static const boost::json::object empty;
  const auto& fields = payload ? *payload : empty;

  if (const auto mapped = call_type(type); !mapped.empty()) {
    event.kind = "call";
    event.type = std::string(mapped);
    event.call_id = text_at(fields, {"call_control_id"});
    event.from = phone(text_at(fields, {"from"}));
    event.to = phone(text_at(fields, {"to"}));
    event.direction = direction(text_at(fields, {"direction"}));
    event.stir_attestation = text_at(fields, {"shaken_stir_attestation"});
    event.stir_verified = text_at(fields, {"shaken_stir_validated"});
    // Only a hint: tenant_for checks it names a configured tenant.
    event.tenant = tenant_in_client_state(text_at(fields, {"client_state"}));
    return event;
  }
  if (type == "message.received" || type == "message.finalized") {
    const auto* to_list = at(fields, {"to"});
    const auto* first_to = to_list && to_list->is_array() && !to_list->get_array().empty()
                               ? to_list->get_array()[0].if_object()
                               : nullptr;
    const auto status = first_to ? text_at(*first_to, {"status"}) : std::string{};
    const bool delivered = type == "message.finalized" && status == "delivered";
    if (type == "message.received" || delivered) {
      event.kind = "message";
      event.type = delivered ? "message.delivered" : "message.received";
      event.message_id = text_at(fields, {"id"});
      event.from = phone(text_at(fields, {"from", "phone_number"}));
      event.to = first_to ? phone(text_at(*first_to, {"phone_number"})) : std::string{};
      event.direction = direction(text_at(fields, {"direction"}));
      event.text = text_at(fields, {"text"});
      return event;
    }
  }
  event.kind = "platform";
  event.type = "platform." + (type.empty() ? std::string("event") : type);
  return event;
}

}  // namespace frontdesk::normalize
