// OpenPhone's legacy webhooks: the event id is the top-level `id`.
#include "fields.hpp"
#include "normalize.hpp"
#include "openphone_object.hpp"

namespace frontdesk::normalize {

Result<Event> openphone(const Delivery& delivery) {
  auto root = parse_object(delivery.request.body);
  if (!root) return root.error();
  Event event;
  event.provider_event_id = text_at(*root, {"id"});
  fill_openphone_event(*root, delivery.config, event);
  return event;
}

}  // namespace frontdesk::normalize
