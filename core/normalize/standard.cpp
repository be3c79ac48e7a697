// Standard Webhooks senders (Quo's new webhooks, Svix): the event id is webhook-id. Quo
// sends OpenPhone's event shape; a payload without call./message. types is a platform
// event of its own `type`.
#include "fields.hpp"
#include "normalize.hpp"
#include "openphone_object.hpp"

namespace frontdesk::normalize {

Result<Event> standard(const Delivery& delivery) {
  auto root = parse_object(delivery.request.body);
  if (!root) return root.error();
  Event event;
  event.provider_event_id = delivery.verified.delivery_id;
  fill_openphone_event(*root, delivery.config, event);
  if (event.occurred_at.empty()) event.occurred_at = text_at(*root, {"timestamp"});
  return event;
}

}  // namespace frontdesk::normalize
