// Twilio Event Streams: a webhook sink posts a JSON array of CloudEvents (or one), each with
// its own id (the dedupe key) and a type such as com.twilio.messaging.message.delivered.
// Messaging events become message events, call status events call events; any other type
// is a platform event of its own.
#include <boost/json.hpp>

#include "../crypto/primitives.hpp"
#include "../encoding.hpp"
#include "fields.hpp"
#include "normalize.hpp"

namespace frontdesk::normalize {
namespace json = boost::json;
namespace {

constexpr std::string_view messaging_prefix = "com.twilio.messaging.message.";
constexpr std::string_view inbound_prefix = "com.twilio.messaging.inbound-message.";
constexpr std::string_view call_status_prefix = "com.twilio.voice.status-callback.call.";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

Event cloud_event(const json::object& cloud, const Config& config) {
  static const json::object empty;
  const auto* found = object_at(cloud, {"data"});
  const auto& data = found ? *found : empty;
  const auto type = text_at(cloud, {"type"});
  Event event;
  event.provider_event_id = text_at(cloud, {"id"});
  event.occurred_at = text_at(cloud, {"time"});
  if (event.occurred_at.empty()) event.occurred_at = text_at(data, {"timestamp"});
  event.from = phone(text_at(data, {"from"}));
  event.to = phone(text_at(data, {"to"}));
  if (starts_with(type, messaging_prefix) || starts_with(type, inbound_prefix)) {
    const bool inbound = starts_with(type, inbound_prefix);
    event.kind = EventKind::message;
    event.message_id = text_at(data, {"messageSid"});
    event.text = text_at(data, {"body"});
    if (!event.to.empty()) event.recipients.push_back(event.to);
    // The type says what happened; data.messageStatus can lag behind it.
    const auto what = type.substr(inbound ? inbound_prefix.size() : messaging_prefix.size());
    event.status = message_status(what);
    event.type = "message." + event.status;
    event.error_code = text_at(data, {"errorCode"});
    event.direction = inbound                     ? Direction::inbound
                      : owned(config, event.from) ? Direction::outbound
                                                  : Direction::unknown;
    return event;
  }
  if (starts_with(type, call_status_prefix) && !text_at(data, {"callSid"}).empty()) {
    event.kind = EventKind::call;
    event.call_id = text_at(data, {"callSid"});
    event.status = lower_case(text_at(data, {"callStatus"}));
    if (event.status.empty()) event.status = type.substr(call_status_prefix.size());
    event.type = "call." + event.status;
    event.direction = direction(text_at(data, {"direction"}));
    return event;
  }
  event.kind = EventKind::platform;
  event.type = "platform." + (type.empty() ? std::string("event") : type);
  return event;
}

}  // namespace

Result<std::vector<Event>> twilio_event_stream(const Delivery& delivery) {
  json::parse_options options;
  options.max_depth = 32;
  json::error_code ec;
  const auto root = json::parse(delivery.request.body, ec, {}, options);
  if (ec) return malformed("body is not valid JSON");
  std::vector<Event> events;
  if (const auto* list = root.if_array()) {
    for (const auto& item : *list) {
      const auto* cloud = item.if_object();
      if (!cloud) return malformed("an Event Streams batch holds CloudEvent objects");
      events.push_back(cloud_event(*cloud, delivery.config));
      events.back().payload = json::serialize(*cloud);  // each event of a batch keeps its own
    }
    if (events.empty()) return malformed("an Event Streams batch holds no event");
    return events;
  }
  const auto* object = root.if_object();
  if (!object) return malformed("body must be a JSON object or an array of CloudEvents");
  if (object->contains("specversion")) {
    events.push_back(cloud_event(*object, delivery.config));
    return events;
  }
  // Any other JSON Twilio signs (bodySHA256): a platform event, keyed by the delivery.
  Event event;
  const auto type = text_at(*object, {"type"});
  event.kind = EventKind::platform;
  event.type = "platform." + (type.empty() ? std::string("event") : type);
  event.provider_event_id = delivery.verified.delivery_id.empty()
                                ? hex_encode(crypto::bytes_of(crypto::sha256(delivery.request.body)))
                                : delivery.verified.delivery_id;
  events.push_back(std::move(event));
  return events;
}

}  // namespace frontdesk::normalize
