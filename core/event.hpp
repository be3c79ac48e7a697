#pragma once
// The one event model every accepted webhook becomes (issue "Verified ingress", 5).
#include <boost/describe/class.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  std::string to;         // E.164 when it is a phone number: our number inbound, the first recipient outbound
  // Every recipient of a text, `to` among them (a group text has several); empty for calls.
  std::vector<std::string> recipients;
  std::string direction;  // inbound | outbound | ""
  std::string text;
  std::string stir_attestation;  // A | B | C | ""
  std::string stir_verified;     // true | false | "" (not given)
  std::string payload;           // the raw body
  // What the provider says of the message or call now, in its own words (queued, sent,
  // delivered, failed, undelivered, received, ringing, completed, …); "" when it says none.
  std::string status;
  std::string error_code;  // the provider's error code when the status is a failure
  // A recording's (or voicemail's) media, and how long it lasts, when the event carries one.
  std::string media_url;
  std::optional<std::int64_t> duration_s;
  // When the provider says inside a later event that the call was answered (OpenPhone has
  // no call.answered: its call.completed carries answeredAt). Written to JSON only when set.
  std::string answered_at;
};

// Its fields, for the object protocol's codec (core/objects/protocol.hpp): the ledger's
// `receive` carries the event whole.
BOOST_DESCRIBE_STRUCT(Event, (),
                      (event_id, source, provider, kind, type, provider_event_id, occurred_at, received_at, tenant,
                       call_id, message_id, from, to, recipients, direction, text, stir_attestation, stir_verified,
                       payload, status, error_code, media_url, duration_s, answered_at))

boost::json::object event_to_json(const Event& event);
// A recipient list as the events and messages store it and the API shows it.
boost::json::array recipients_to_json(const std::vector<std::string>& recipients);
// The stored form back: every field a string; missing fields stay empty.
Event event_from_json(const boost::json::object& object);

}  // namespace frontdesk
