#include "call_state.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <iterator>
#include <utility>

#include "../time.hpp"

namespace frontdesk::reception {
namespace json = boost::json;
namespace {

constexpr std::array<std::pair<CallState, std::string_view>, 6> state_names{{
    {CallState::initiated, "initiated"},
    {CallState::ringing, "ringing"},
    {CallState::answered, "answered"},
    {CallState::completed, "completed"},
    {CallState::rejected, "rejected"},
    {CallState::missed, "missed"},
}};

constexpr std::string_view rejected_type = "call.rejected";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool is_answer(std::string_view type) { return type == "call.answered" || type == "call.bridged"; }
bool is_end(std::string_view type) { return type == "call.hangup" || type == "call.completed"; }
bool is_ring(std::string_view type) { return type == "call.ringing"; }

// Events without a provider id (none of today's providers) are told apart by type and time.
bool same_event(const TimelineEntry& entry, const Event& event) {
  if (!event.provider_event_id.empty()) return entry.provider_event_id == event.provider_event_id;
  return entry.provider_event_id.empty() && entry.type == event.type && entry.at == event.occurred_at;
}

// The earlier of two RFC 3339 times; a time that does not parse never displaces one that
// does, so a malformed timestamp cannot rewrite when a call started or ended.
std::string earlier(const std::string& current, const std::string& candidate) {
  if (current.empty()) return candidate;
  const auto current_us = unix_us_from_rfc3339(current);
  const auto candidate_us = unix_us_from_rfc3339(candidate);
  if (current_us && candidate_us && *candidate_us < *current_us) return candidate;
  if (!current_us && candidate_us) return candidate;
  return current;
}

// A time that does not parse sorts after every time that does.
bool later(const std::optional<std::int64_t>& a, const std::optional<std::int64_t>& b) {
  if (!a) return b.has_value();
  return b && *a > *b;
}

// Inserted after every entry not later than it, so equal times keep arrival order.
void insert_in_time_order(std::vector<TimelineEntry>& timeline, TimelineEntry entry) {
  const auto key = unix_us_from_rfc3339(entry.at);
  auto position = timeline.end();
  while (position != timeline.begin() && later(unix_us_from_rfc3339(std::prev(position)->at), key)) --position;
  timeline.insert(position, std::move(entry));
}

std::optional<Attachment>* attachment_slot(CallRecord& call, std::string_view type) {
  if (type == "call.recording.completed") return &call.recording;
  if (type == "call.transcript.completed") return &call.transcript;
  if (type == "call.summary.completed") return &call.summary;
  return nullptr;
}

// The earliest of each kind is kept, whatever order they arrive in.
void attach(CallRecord& call, const Event& event) {
  auto* slot = attachment_slot(call, event.type);
  if (!slot) return;
  if (*slot && !later(unix_us_from_rfc3339((*slot)->at), unix_us_from_rfc3339(event.occurred_at))) return;
  *slot = Attachment{event.occurred_at, event.provider_event_id, event.media_url, event.duration_s, event.text};
}

// Everything but the identity fields follows from the timeline and the rejection, so the
// order events arrived in cannot change the outcome.
void derive(CallRecord& call) {
  std::string started_at;
  std::string answered_at;
  std::string ended_at;
  bool rang = false;
  bool answered = false;
  bool ended = false;
  for (const auto& entry : call.timeline) {
    started_at = earlier(started_at, entry.at);
    if (is_answer(entry.type)) {
      answered = true;
      answered_at = earlier(answered_at, entry.at);
    }
    if (is_end(entry.type)) {
      ended = true;
      ended_at = earlier(ended_at, entry.at);
    }
    rang = rang || is_ring(entry.type);
  }
  call.started_at = std::move(started_at);
  call.answered_at = std::move(answered_at);
  call.ended_at = std::move(ended_at);
  if (!call.rejected_at.empty()) {
    call.state = CallState::rejected;
  } else if (ended) {
    call.state = answered ? CallState::completed : CallState::missed;
  } else if (answered) {
    call.state = CallState::answered;
  } else if (rang) {
    call.state = CallState::ringing;
  } else {
    call.state = CallState::initiated;
  }
}

void fill_if_empty(std::string& field, const std::string& value) {
  if (field.empty()) field = value;
}

json::value attachment_json(const std::optional<Attachment>& attachment) {
  if (!attachment) return nullptr;
  return json::object{{"at", attachment->at},
                      {"provider_event_id", attachment->provider_event_id},
                      {"url", attachment->url},
                      {"duration_s", attachment->duration_s ? json::value(*attachment->duration_s) : json::value(nullptr)},
                      {"text", attachment->text}};
}

Error stored_error(std::string_view field, std::string_view problem) {
  return make_error(ErrorCode::internal, "stored call: " + std::string(field) + " " + std::string(problem));
}

// A missing field reads as empty (records written before it existed); a present one must be
// a string.
Result<Unit> read_string(const json::object& object, std::string_view name, std::string& out) {
  const auto* value = object.if_contains(name);
  if (!value) return Unit{};
  const auto* text = value->if_string();
  if (!text) return stored_error(name, "is not a string");
  out = std::string(*text);
  return Unit{};
}

Result<std::optional<Attachment>> read_attachment(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (!value || value->is_null()) return std::optional<Attachment>{};
  const auto* fields = value->if_object();
  if (!fields) return stored_error(name, "is neither null nor an object");
  Attachment attachment;
  if (auto read = read_string(*fields, "at", attachment.at); !read) return read.error();
  if (auto read = read_string(*fields, "provider_event_id", attachment.provider_event_id); !read) return read.error();
  if (auto read = read_string(*fields, "url", attachment.url); !read) return read.error();
  if (auto read = read_string(*fields, "text", attachment.text); !read) return read.error();
  if (const auto* seconds = fields->if_contains("duration_s"); seconds && !seconds->is_null()) {
    if (!seconds->is_int64()) return stored_error(name, "duration_s is not an integer");
    attachment.duration_s = seconds->get_int64();
  }
  return std::optional<Attachment>{std::move(attachment)};
}

Result<std::vector<TimelineEntry>> read_timeline(const json::object& object) {
  std::vector<TimelineEntry> timeline;
  const auto* value = object.if_contains("timeline");
  if (!value) return timeline;
  const auto* items = value->if_array();
  if (!items) return stored_error("timeline", "is not an array");
  for (const auto& item : *items) {
    const auto* fields = item.if_object();
    if (!fields) return stored_error("timeline", "holds an entry that is not an object");
    TimelineEntry entry;
    if (auto read = read_string(*fields, "at", entry.at); !read) return read.error();
    if (auto read = read_string(*fields, "type", entry.type); !read) return read.error();
    if (auto read = read_string(*fields, "provider_event_id", entry.provider_event_id); !read) return read.error();
    timeline.push_back(std::move(entry));
  }
  return timeline;
}

}  // namespace

std::string_view call_state_name(CallState state) {
  for (const auto& [value, name] : state_names) {
    if (value == state) return name;
  }
  return "initiated";  // unreachable: every enumerator is listed
}

std::optional<CallState> parse_call_state(std::string_view name) {
  for (const auto& [value, known] : state_names) {
    if (known == name) return value;
  }
  return std::nullopt;
}

ApplyOutcome apply(CallRecord& call, const Event& event) {
  if (!starts_with(event.type, "call.") || event.call_id.empty()) return {};
  if (!call.call_id.empty() && call.call_id != event.call_id) return {};
  for (const auto& entry : call.timeline) {
    if (same_event(entry, event)) return {ApplyOutcome::Kind::duplicate, false};
  }
  const bool first = call.timeline.empty();
  const CallState before = call.state;
  fill_if_empty(call.call_id, event.call_id);
  fill_if_empty(call.provider, event.provider);
  fill_if_empty(call.from, event.from);
  fill_if_empty(call.to, event.to);
  fill_if_empty(call.direction, std::string(direction_name(event.direction)));
  insert_in_time_order(call.timeline, {event.occurred_at, event.type, event.provider_event_id});
  attach(call, event);
  // The answer a later event reports (OpenPhone's answeredAt) is a fact of its own: the
  // call is completed, not missed, however the events arrive.
  if (!event.answered_at.empty()) {
    insert_in_time_order(call.timeline, {event.answered_at, "call.answered", event.provider_event_id + "#answered"});
  }
  derive(call);
  return {ApplyOutcome::Kind::recorded, first || call.state != before};
}

bool mark_rejected(CallRecord& call, std::string_view at) {
  if (!call.rejected_at.empty() || at.empty()) return false;
  call.rejected_at = std::string(at);
  insert_in_time_order(call.timeline, {std::string(at), std::string(rejected_type), {}});
  derive(call);
  return true;
}

json::object to_json(const CallRecord& call) {
  json::array timeline;
  for (const auto& entry : call.timeline) {
    timeline.push_back(json::object{{"at", entry.at}, {"type", entry.type}, {"provider_event_id", entry.provider_event_id}});
  }
  return json::object{
      {"call_id", call.call_id},
      {"provider", call.provider},
      {"from", call.from},
      {"to", call.to},
      {"direction", call.direction},
      {"state", call_state_name(call.state)},
      {"started_at", call.started_at},
      {"answered_at", call.answered_at},
      {"ended_at", call.ended_at},
      {"rejected_at", call.rejected_at},
      {"timeline", std::move(timeline)},
      {"recording", attachment_json(call.recording)},
      {"transcript", attachment_json(call.transcript)},
      {"summary", attachment_json(call.summary)},
      {"decision", call.decision},
      {"analysis", call.analysis},
  };
}

Result<CallRecord> call_from_json(const json::object& object) {
  CallRecord call;
  const std::array<std::pair<std::string_view, std::string*>, 11> strings{{
      {"call_id", &call.call_id},
      {"provider", &call.provider},
      {"from", &call.from},
      {"to", &call.to},
      {"direction", &call.direction},
      {"started_at", &call.started_at},
      {"answered_at", &call.answered_at},
      {"ended_at", &call.ended_at},
      {"rejected_at", &call.rejected_at},
      {"decision", &call.decision},
      {"analysis", &call.analysis},
  }};
  for (const auto& [name, field] : strings) {
    if (auto read = read_string(object, name, *field); !read) return read.error();
  }
  if (call.call_id.empty()) return stored_error("call_id", "is missing");
  std::string state;
  if (auto read = read_string(object, "state", state); !read) return read.error();
  const auto parsed = parse_call_state(state);
  if (!parsed) return stored_error("state", "is not a call state");
  call.state = *parsed;
  auto timeline = read_timeline(object);
  if (!timeline) return timeline.error();
  call.timeline = std::move(timeline.value());
  auto recording = read_attachment(object, "recording");
  if (!recording) return recording.error();
  call.recording = std::move(recording.value());
  auto transcript = read_attachment(object, "transcript");
  if (!transcript) return transcript.error();
  call.transcript = std::move(transcript.value());
  auto summary = read_attachment(object, "summary");
  if (!summary) return summary.error();
  call.summary = std::move(summary.value());
  return call;
}

}  // namespace frontdesk::reception
