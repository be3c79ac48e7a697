#pragma once
// The one event model every accepted webhook becomes (issue "Verified ingress", 5).
#include <boost/json/object.hpp>
#include <string>

namespace frontdesk {

struct Event {
  std::string event_id;  // Frontdesk's own id, minted when first recorded
  std::string source;    // the configured source name
  std::string provider;  // the source's kind: telnyx, openphone, standard, twilio, github, stripe
  std::string kind;      // call | message | platform
  std::string type;      // call.initiated, message.received, platform.<provider type>, …
  std::string provider_event_id;
  std::string occurred_at;  // RFC 3339, UTC
  std::string received_at;  // RFC 3339, UTC
  std::string tenant;
  std::string call_id;
  std::string message_id;
  std::string from;       // E.164 when it is a phone number
  std::string to;         // E.164 when it is a phone number
  std::string direction;  // inbound | outbound | ""
  std::string text;
  std::string stir_attestation;  // A | B | C | ""
  std::string stir_verified;     // true | false | "" (not given)
  std::string payload;           // the raw body
  // When the provider says inside a later event that the call was answered (OpenPhone has
  // no call.answered: its call.completed carries answeredAt). Written to JSON only when set.
  std::string answered_at;
};

boost::json::object event_to_json(const Event& event);
// The stored form back: every field a string; missing fields stay empty.
Event event_from_json(const boost::json::object& object);

}  // namespace frontdesk
