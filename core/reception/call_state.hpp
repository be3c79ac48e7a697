#pragma once
// One call's state machine: initiated → ringing → answered → completed | rejected | missed.
//
// Providers deliver call events more than once and out of order, so the state is not a
// cursor moved by each event but a summary of the facts seen so far, recomputed after each
// one: was the call answered (answered or bridged), has it ended (hangup or completed), did
// the pipeline reject it. Consequences:
// - a duplicate (same provider_event_id) changes nothing;
// - a hangup before any answer ends `missed`; an answer arriving later turns it `completed`;
// - a late initiated/ringing never moves the state backwards;
// - `rejected` is the pipeline's verdict (mark_rejected) and outlives any later event;
// - recording/transcript/summary events attach to the call without touching its state.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../event.hpp"
#include "../result.hpp"

namespace frontdesk::reception {

enum class CallState { initiated, ringing, answered, completed, rejected, missed };

std::string_view call_state_name(CallState state);
std::optional<CallState> parse_call_state(std::string_view name);

struct TimelineEntry {
  std::string at;    // the event's occurred_at (RFC 3339)
  std::string type;  // call.initiated, …; call.rejected for the pipeline's own verdict
  std::string provider_event_id;  // empty for entries Frontdesk wrote itself
  bool operator==(const TimelineEntry&) const = default;
};

// A recording, transcript or summary the provider reported for this call: the earliest of
// each kind, with what it carried.
struct Attachment {
  std::string at;
  std::string provider_event_id;
  std::string url;                        // a recording's media
  std::optional<std::int64_t> duration_s;  // a recording's length
  std::string text;                       // a transcript's or a summary's words
  bool operator==(const Attachment&) const = default;
};

struct CallRecord {
  std::string call_id;
  std::string provider;
  std::string from;
  std::string to;
  std::string direction;
  CallState state = CallState::initiated;
  std::string started_at;   // the earliest event seen
  std::string answered_at;  // the earliest answered/bridged
  std::string ended_at;     // the earliest hangup/completed
  std::string rejected_at;  // set by mark_rejected only
  // Sorted by `at` as instants (not text); equal times keep arrival order, and times that
  // do not parse come last.
  std::vector<TimelineEntry> timeline;
  std::optional<Attachment> recording;
  std::optional<Attachment> transcript;
  std::optional<Attachment> summary;
  std::string decision;  // the screening decision as JSON text, written by the pipeline
  // The transcript's analysis (reception/text_analysis.hpp) as JSON text, written by the
  // ledger: what the caller wanted, and how they sounded.
  std::string analysis;
  bool operator==(const CallRecord&) const = default;
};

struct ApplyOutcome {
  enum class Kind {
    recorded,   // the event is now part of the record
    duplicate,  // this provider event was applied before: nothing changed
    ignored,    // not a call event, or another call's: nothing changed
  };
  Kind kind = Kind::ignored;
  bool state_changed = false;  // the state moved, or this was the record's first event
  bool changed() const { return kind == Kind::recorded; }
};

// A fresh record takes the event's call id; afterwards events of other calls are ignored.
ApplyOutcome apply(CallRecord& call, const Event& event);

// The pipeline's decision to refuse the call, at the host's now(). True when it changed the
// record: a second call, or one without a time, changes nothing.
bool mark_rejected(CallRecord& call, std::string_view at);

boost::json::object to_json(const CallRecord& call);
// The stored form back; an `internal` error naming the field when it is not one to_json wrote.
Result<CallRecord> call_from_json(const boost::json::object& object);

}  // namespace frontdesk::reception
