// GitHub: the event name is the X-GitHub-Event header, the id X-GitHub-Delivery.
#include "fields.hpp"
#include "normalize.hpp"

namespace frontdesk::normalize {

Result<Event> github(const Delivery& delivery) {
  auto root = parse_object(delivery.request.body);
  if (!root) return root.error();
  Event event;
  event.kind = "platform";
  const auto name = delivery.request.headers.get("x-github-event").value_or("event");
  event.type = "platform." + std::string(name);
  event.provider_event_id = delivery.verified.delivery_id;
  return event;
}

}  // namespace frontdesk::normalize
