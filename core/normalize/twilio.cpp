// Twilio posts forms: CallSid + CallStatus for calls, MessageSid (SmsSid) + MessageStatus
// (SmsStatus) for texts and their status callbacks, RecordingSid + RecordingStatus and
// TranscriptionSid + TranscriptionText about a call. The dedupe key is
// I-Twilio-Idempotency-Token when sent, else the Sid and its status. StirVerstat reads like
// "TN-Validation-Passed-A".
#include <boost/json/value.hpp>

#include "fields.hpp"
#include "normalize.hpp"

namespace frontdesk::normalize {
namespace {

std::string param(const QueryParams& params, std::string_view name) {
  return std::string(find_param(params, name).value_or(""));
}

std::string_view call_type(std::string_view status) {
  if (status == "queued" || status == "initiated") return "call.initiated";
  if (status == "ringing") return "call.ringing";
  if (status == "in-progress" || status == "answered") return "call.answered";
  if (status == "completed" || status == "busy" || status == "no-answer" || status == "failed" || status == "canceled") {
    return "call.completed";
  }
  return {};
}

void read_verstat(std::string_view verstat, Event& event) {
  if (verstat.empty()) return;
  if (verstat.rfind("TN-Validation-Passed-", 0) == 0) {
    event.stir_attestation = std::string(verstat.substr(21));
    event.stir_verified = "true";
  } else if (verstat.rfind("TN-Validation-Failed-", 0) == 0) {
    event.stir_attestation = std::string(verstat.substr(21));
    event.stir_verified = "false";
  } else {
    event.stir_verified = "false";
  }
}

}  // namespace

Result<Event> twilio(const Delivery& delivery) {
  Event event;
  const auto& request = delivery.request;
  const auto params = parse_query(request.body);
  event.from = phone(param(params, "From"));
  event.to = phone(param(params, "To"));
  event.direction = direction(param(params, "Direction"));
  // Status callbacks do not say which way: our number is the side that is ours.
  if (event.direction == Direction::unknown && !event.from.empty() && owned(delivery.config, event.from) &&
      !owned(delivery.config, event.to)) {
    event.direction = Direction::outbound;
  }
  read_verstat(param(params, "StirVerstat"), event);
  std::string sid;
  std::string status;
  auto message_sid = param(params, "MessageSid");
  if (message_sid.empty()) message_sid = param(params, "SmsSid");
  const auto call_sid = param(params, "CallSid");
  if (!message_sid.empty()) {
    status = param(params, "MessageStatus");
    if (status.empty()) status = param(params, "SmsStatus");
    sid = message_sid;
    event.kind = EventKind::message;
    event.message_id = message_sid;
    event.text = param(params, "Body");
    if (!event.to.empty()) event.recipients.push_back(event.to);
    event.status = message_status(status);
    if (event.status.empty()) event.status = "unknown";
    event.type = "message." + event.status;
    event.error_code = param(params, "ErrorCode");
    if (event.direction == Direction::unknown && event.status == "received") event.direction = Direction::inbound;
  } else if (const auto recording_sid = param(params, "RecordingSid"); !recording_sid.empty() && !call_sid.empty()) {
    status = param(params, "RecordingStatus");
    sid = recording_sid;
    event.kind = EventKind::call;
    event.call_id = call_sid;
    event.status = status;
    event.type = status == "completed" || status.empty() ? "call.recording.completed" : "call.recording." + status;
    event.media_url = param(params, "RecordingUrl");
    const boost::json::value duration(param(params, "RecordingDuration"));
    event.duration_s = seconds_in(&duration);
    event.error_code = param(params, "ErrorCode");
  } else if (const auto transcription_sid = param(params, "TranscriptionSid");
             !transcription_sid.empty() && !call_sid.empty()) {
    status = param(params, "TranscriptionStatus");
    sid = transcription_sid;
    event.kind = EventKind::call;
    event.call_id = call_sid;
    event.status = status;
    event.text = param(params, "TranscriptionText");
    event.type = status == "completed" || status.empty() ? "call.transcript.completed" : "call.transcript." + status;
  } else if (!call_sid.empty()) {
    status = param(params, "CallStatus");
    sid = call_sid;
    event.kind = EventKind::call;
    event.call_id = call_sid;
    event.status = status;
    event.error_code = param(params, "ErrorCode");
    const auto mapped = call_type(status);
    if (!mapped.empty()) {
      event.type = std::string(mapped);
    } else if (status.empty()) {
      // A <Gather> action (Digits) or another request about the call without its status.
      event.type = find_param(params, "Digits") ? "call.gather.ended" : "call.updated";
    } else {
      event.kind = EventKind::platform;
      event.type = "platform.call." + status;
    }
  } else {
    return malformed("a Twilio form needs CallSid or MessageSid");
  }
  event.provider_event_id =
      delivery.verified.delivery_id.empty() ? sid + ":" + (status.empty() ? event.type : status)
                                            : delivery.verified.delivery_id;
  return event;
}

}  // namespace frontdesk::normalize
