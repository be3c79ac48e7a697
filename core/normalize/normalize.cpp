#include "normalize.hpp"

#include "../time.hpp"
#include "fields.hpp"

namespace frontdesk::normalize {

Result<Event> normalize(const Delivery& delivery) {
  Result<Event> event = make_error(ErrorCode::internal, "unknown source kind");
  switch (delivery.source.kind) {
    case SourceKind::telnyx:
      event = telnyx(delivery);
      break;
    case SourceKind::openphone:
      event = openphone(delivery);
      break;
    case SourceKind::standard:
      event = standard(delivery);
      break;
    case SourceKind::twilio:
      event = twilio(delivery);
      break;
    case SourceKind::github:
      event = github(delivery);
      break;
    case SourceKind::stripe:
      event = stripe(delivery);
      break;
  }
  if (!event) return event;
  event->source = delivery.source.name;
  event->provider = std::string(source_kind_name(delivery.source.kind));
  event->received_at = rfc3339_from_ms(delivery.now_ms);
  if (event->occurred_at.empty()) event->occurred_at = event->received_at;
  event->payload = delivery.request.body;
  if (event->provider_event_id.empty()) return malformed("the delivery carries no event id");
  return event;
}

}  // namespace frontdesk::normalize
