// Telnyx wraps everything in data: {event_type, id, occurred_at, payload: {…}}. Calls
// carry call_control_id (what commands address), from/to as E.164 strings and STIR/SHAKEN;
// messages carry from.phone_number and to[].phone_number. meta.attempt changes on retries,
// data.id does not: data.id is the dedupe key.
#include <array>

#include "../tenants.hpp"
#include "../time.hpp"
#include "fields.hpp"
#include "normalize.hpp"

namespace frontdesk::normalize {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> call_types{{
    {"call.initiated", "call.initiated"},
    {"call.answered", "call.answered"},
    {"call.bridged", "call.bridged"},
    {"call.hangup", "call.hangup"},
    {"call.speak.ended", "call.speak.ended"},
    {"call.recording.saved", "call.recording.completed"},
    {"call.transcription", "call.transcript.completed"},
    {"call.recording.transcription.saved", "call.transcript.completed"},
}};

std::string_view call_type(std::string_view telnyx_type) {
  for (const auto& [from, to] : call_types) {
    if (from == telnyx_type) return to;
  }
  return {};
}

// message.received, and the lifecycle of a text we sent: message.sent, then
// message.finalized with each recipient's status (to[].status) and errors[].
void fill_message(const boost::json::object& fields, std::string_view type, const Config& config, Event& event) {
  event.kind = EventKind::message;
  event.message_id = text_at(fields, {"id"});
  event.from = phone(text_at(fields, {"from", "phone_number"}));
  event.recipients = phones_in(at(fields, {"to"}));
  for (auto& copied : phones_in(at(fields, {"cc"}))) event.recipients.push_back(std::move(copied));
  event.direction = direction(text_at(fields, {"direction"}));
  event.text = text_at(fields, {"text"});
  if (event.text.empty()) event.text = text_at(fields, {"body", "text"});  // RCS
  event.to = event.recipients.empty() ? std::string{} : event.recipients.front();
  if (event.direction != Direction::outbound) {
    for (const auto& recipient : event.recipients) {
      if (owned(config, recipient)) event.to = recipient;
    }
  }
  const auto* to_list = at(fields, {"to"});
  const auto* first_to = to_list && to_list->is_array() && !to_list->get_array().empty()
                             ? to_list->get_array()[0].if_object()
                             : nullptr;
  if (type == "message.received") {
    event.type = "message.received";
    event.status = "received";
  } else if (type == "message.sent") {
    // Whatever the recipients' status says by then (the documented sample says queued).
    event.type = "message.sent";
    event.status = "sent";
  } else {
    const auto status = first_to ? message_status(text_at(*first_to, {"status"})) : std::string{};
    event.status = status.empty() ? std::string(type.substr(8)) : status;
    event.type = "message." + event.status;
  }
  if (const auto* errors = at(fields, {"errors"}); errors && errors->is_array() && !errors->get_array().empty()) {
    if (const auto* first = errors->get_array()[0].if_object()) event.error_code = text_at(*first, {"code"});
  }
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

  // Every Call Control event is about its call (gather, playback, DTMF, machine detection, …
  // in the call's timeline as they are); a few are renamed to the one vocabulary.
  if (type.rfind("call.", 0) == 0) {
    const auto mapped = call_type(type);
    event.kind = EventKind::call;
    event.type = mapped.empty() ? type : std::string(mapped);
    event.call_id = text_at(fields, {"call_control_id"});
    event.from = phone(text_at(fields, {"from"}));
    event.to = phone(text_at(fields, {"to"}));
    event.direction = direction(text_at(fields, {"direction"}));
    event.stir_attestation = text_at(fields, {"shaken_stir_attestation"});
    event.stir_verified = text_at(fields, {"shaken_stir_validated"});
    event.status = text_at(fields, {"state"});
    if (event.type == "call.recording.completed") {
      for (const auto* urls : {"recording_urls", "public_recording_urls"}) {
        for (const auto* format : {"mp3", "wav"}) {
          if (event.media_url.empty()) event.media_url = text_at(fields, {urls, format});
        }
      }
      const auto started = unix_us_from_rfc3339(text_at(fields, {"recording_started_at"}));
      const auto ended = unix_us_from_rfc3339(text_at(fields, {"recording_ended_at"}));
      if (started && ended && *ended >= *started) event.duration_s = (*ended - *started + 500000) / 1000000;
    }
    if (event.type == "call.transcript.completed") {
      event.text = text_at(fields, {"transcription_text"});
      if (event.text.empty()) event.text = text_at(fields, {"transcription_data", "transcript"});
    }
    // Only a hint: tenant_for checks it names a configured tenant.
    event.tenant = tenant_in_client_state(text_at(fields, {"client_state"}));
    return event;
  }
  if (type.rfind("message.", 0) == 0) {
    fill_message(fields, type, delivery.config, event);
    return event;
  }
  event.kind = EventKind::platform;
  event.type = "platform." + (type.empty() ? std::string("event") : type);
  return event;
}

}  // namespace frontdesk::normalize
