#pragma once
// The one event model every accepted webhook becomes (issue "Verified ingress", 5).
#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frontdesk {

enum class EventKind { call, message, platform };
BOOST_DESCRIBE_ENUM(EventKind, call, message, platform)
// What the provider says of the call or text, or what our numbers show; unknown when
// neither tells (stored and shown as "").
enum class Direction { unknown, inbound, outbound };
BOOST_DESCRIBE_ENUM(Direction, unknown, inbound, outbound)

// As events are stored and shown: call, message, platform; inbound, outbound or "".
std::string_view kind_name(EventKind kind);
std::string_view direction_name(Direction direction);
// Back from the stored text: nullopt for a kind this version does not know; any direction
// other than inbound or outbound is unknown.
std::optional<EventKind> event_kind_of(std::string_view name);
Direction direction_of(std::string_view name);
// The same names on the object protocol's wire (core/objects/protocol.hpp).
inline std::string_view wire_name(EventKind kind) { return kind_name(kind); }
inline std::string_view wire_name(Direction direction) { return direction_name(direction); }

struct Event {
  std::string event_id;  // Frontdesk's own id, minted when first recorded
  std::string source;    // the configured source name
  std::string provider;  // the source's kind: telnyx, openphone, standard, twilio, github, stripe
  EventKind kind = EventKind::platform;
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
  Direction direction = Direction::unknown;
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
