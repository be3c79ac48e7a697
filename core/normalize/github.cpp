// GitHub: the event name is the X-GitHub-Event header, the id X-GitHub-Delivery. A hook
// whose content type is "form" posts payload=<the JSON>.
#include "fields.hpp"
#include "normalize.hpp"

namespace frontdesk::normalize {

Result<Event> github(const Delivery& delivery) {
  const auto& request = delivery.request;
  const bool form = verify::media_type(request.headers.get("content-type").value_or("")) ==
                    "application/x-www-form-urlencoded";
  std::string form_payload;
  if (form) {
    const auto params = parse_query(request.body);
    const auto payload = find_param(params, "payload");
    if (!payload) return malformed("a form-encoded GitHub delivery carries its JSON in the payload field");
    form_payload = std::string(*payload);
  }
  auto root = parse_object(form ? std::string_view(form_payload) : std::string_view(request.body));
  if (!root) return root.error();
  Event event;
  event.kind = EventKind::platform;
  const auto name = delivery.request.headers.get("x-github-event").value_or("event");
  event.type = "platform." + std::string(name);
  event.provider_event_id = delivery.verified.delivery_id;
  return event;
}

}  // namespace frontdesk::normalize
