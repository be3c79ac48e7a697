#include "normalize.hpp"

#include "../time.hpp"
#include "fields.hpp"

namespace frontdesk::normalize {

namespace {

Result<Event> one_event(const Delivery& delivery) {
  switch (delivery.source.kind) {
    case SourceKind::telnyx:
      return telnyx(delivery);
    case SourceKind::openphone:
      return openphone(delivery);
    case SourceKind::standard:
      return standard(delivery);
    case SourceKind::twilio:
      return twilio(delivery);
    case SourceKind::github:
      return github(delivery);
    case SourceKind::stripe:
      return stripe(delivery);
  }
  return make_error(ErrorCode::internal, "unknown source kind");
}

Result<std::vector<Event>> events_of(const Delivery& delivery) {
  const bool json_body =
      verify::media_type(delivery.request.headers.get("content-type").value_or("")) == "application/json";
  if (delivery.source.kind == SourceKind::twilio && json_body) return twilio_event_stream(delivery);
  auto event = one_event(delivery);
  if (!event) return event.error();
  return std::vector<Event>{std::move(*event)};
}

}  // namespace

Result<std::vector<Event>> normalize_all(const Delivery& delivery) {
  auto events = events_of(delivery);
  if (!events) return events;
  for (auto& event : *events) {
    event.source = delivery.source.name;
    event.provider = std::string(source_kind_name(delivery.source.kind));
    event.received_at = rfc3339_from_ms(delivery.now_ms);
    if (event.occurred_at.empty()) event.occurred_at = event.received_at;
    // A batch's events each keep their own JSON; a single event, the body as delivered.
    if (event.payload.empty()) event.payload = delivery.request.body;
    if (event.provider_event_id.empty()) return malformed("the delivery carries no event id");
  }
  return events;
}

Result<Event> normalize(const Delivery& delivery) {
  auto events = normalize_all(delivery);
  if (!events) return events.error();
  if (events->size() != 1) return malformed("the delivery carries more than one event");
  return std::move(events->front());
}

}  // namespace frontdesk::normalize
