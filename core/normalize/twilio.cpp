// Twilio posts forms: CallSid + CallStatus for calls, MessageSid (SmsSid) + MessageStatus
// (SmsStatus) for texts. The dedupe key is I-Twilio-Idempotency-Token when sent, else the
// Sid and its status. StirVerstat reads like "TN-Validation-Passed-A".
#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
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
  if (verify::media_type(request.headers.get("content-type").value_or("")) == "application/json") {
    auto root = parse_object(request.body);
    if (!root) return root.error();
    const auto type = text_at(*root, {"type"});
    event.kind = "platform";
    event.type = "platform." + (type.empty() ? std::string("event") : type);
    event.provider_event_id = delivery.verified.delivery_id.empty()
                                  ? hex_encode(crypto::bytes_of(crypto::sha256(request.body)))
                                  : delivery.verified.delivery_id;
    return event;
  }
  const auto params = parse_query(request.body);
  event.from = phone(param(params, "From"));
  event.to = phone(param(params, "To"));
  event.direction = direction(param(params, "Direction"));
  read_verstat(param(params, "StirVerstat"), event);
  std::string status;
  auto message_sid = param(params, "MessageSid");
  if (message_sid.empty()) message_sid = param(params, "SmsSid");
  if (!message_sid.empty()) {
    status = param(params, "MessageStatus");
    if (status.empty()) status = param(params, "SmsStatus");
    event.kind = "message";
    event.message_id = message_sid;
    event.text = param(params, "Body");
    if (status == "received" || status == "delivered") {
      event.type = "message." + status;
    } else {
      event.kind = "platform";
      event.type = "platform.message." + (status.empty() ? std::string("unknown") : status);
    }
    if (event.direction.empty() && status == "received") event.direction = "inbound";
  } else if (const auto call_sid = param(params, "CallSid"); !call_sid.empty()) {
    status = param(params, "CallStatus");
    event.kind = "call";
    event.call_id = call_sid;
    const auto mapped = call_type(status);
    event.type = mapped.empty() ? "platform.call." + status : std::string(mapped);
    if (mapped.empty()) event.kind = "platform";
  } else {
    return malformed("a Twilio form needs CallSid or MessageSid");
  }
  const auto sid = event.message_id.empty() ? event.call_id : event.message_id;
  event.provider_event_id =
      delivery.verified.delivery_id.empty() ? sid + ":" + status : delivery.verified.delivery_id;
  return event;
}

}  // namespace frontdesk::normalize
