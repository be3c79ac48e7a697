// Stripe: {id: "evt_…", type, created (Unix s), data: {object}}.
#include "../time.hpp"
#include "fields.hpp"
#include "normalize.hpp"

namespace frontdesk::normalize {

Result<Event> stripe(const Delivery& delivery) {
  auto root = parse_object(delivery.request.body);
  if (!root) return root.error();
  Event event;
  event.kind = EventKind::platform;
  const auto type = text_at(*root, {"type"});
  event.type = "platform." + (type.empty() ? std::string("event") : type);
  event.provider_event_id = text_at(*root, {"id"});
  if (const auto* created = at(*root, {"created"}); created && created->is_int64()) {
    event.occurred_at = rfc3339_from_ms(created->get_int64() * 1000);
  }
  return event;
}

}  // namespace frontdesk::normalize
