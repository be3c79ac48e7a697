#pragma once
// From a verified delivery to the one event model. One file per provider shape; nothing
// here runs before the delivery's signature holds.
#include <cstdint>
#include <vector>

#include "../config.hpp"
#include "../event.hpp"
#include "../http.hpp"
#include "../result.hpp"
#include "../verify/verify.hpp"

namespace frontdesk::normalize {

struct Delivery {
  const Config& config;
  const SourceConfig& source;
  const Request& request;
  const verify::Verified& verified;
  std::int64_t now_ms;
};

// Fills source, provider, received_at and the provider's fields of each event a delivery
// carries: one, or a batch (Twilio Event Streams); 400 malformed_body when the body cannot
// be parsed or an event has no id.
Result<std::vector<Event>> normalize_all(const Delivery& delivery);
// The same for a delivery that carries exactly one event.
Result<Event> normalize(const Delivery& delivery);

Result<Event> telnyx(const Delivery& delivery);
Result<Event> openphone(const Delivery& delivery);
Result<Event> standard(const Delivery& delivery);
Result<Event> twilio(const Delivery& delivery);  // its forms
Result<std::vector<Event>> twilio_event_stream(const Delivery& delivery);  // its JSON
Result<Event> github(const Delivery& delivery);
Result<Event> stripe(const Delivery& delivery);

}  // namespace frontdesk::normalize
