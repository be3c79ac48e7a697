#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/reception/call_state.hpp"

using namespace frontdesk;
using namespace frontdesk::reception;

namespace {

Event call_event(std::string type, std::string provider_event_id, std::string occurred_at) {
  Event event;
  event.source = "telnyx";
  event.provider = "telnyx";
  event.kind = EventKind::call;
  event.type = std::move(type);
  event.provider_event_id = std::move(provider_event_id);
  event.occurred_at = std::move(occurred_at);
  event.call_id = "v3:abc";
  event.from = "+15555550123";
  event.to = "+18886115384";
  event.direction = Direction::inbound;
  return event;
}

// Applies events named by type, each with its own id and a time one second after the last.
CallRecord run(const std::vector<std::string>& types) {
  CallRecord call;
  int second = 0;
  for (const auto& type : types) {
    const auto at = "2024-05-01T10:00:0" + std::to_string(second) + "Z";
    const auto outcome = apply(call, call_event(type, "e" + std::to_string(second), at));
    REQUIRE(outcome.kind == ApplyOutcome::Kind::recorded);
    ++second;
  }
  return call;
}

std::vector<std::string> timeline_types(const CallRecord& call) {
  std::vector<std::string> types;
  for (const auto& entry : call.timeline) types.push_back(entry.type);
  return types;
}

}  // namespace

TEST_CASE("the first call event opens the record with the call's identity and times") {
  CallRecord call;
  const auto outcome = apply(call, call_event("call.initiated", "e1", "2024-05-01T10:00:00Z"));
  CHECK(outcome.kind == ApplyOutcome::Kind::recorded);
  CHECK(outcome.changed());
  CHECK(outcome.state_changed);
  CHECK(call.call_id == "v3:abc");
  CHECK(call.provider == "telnyx");
  CHECK(call.from == "+15555550123");
  CHECK(call.to == "+18886115384");
  CHECK(call.direction == "inbound");
  CHECK(call.state == CallState::initiated);
  CHECK(call.started_at == "2024-05-01T10:00:00Z");
  CHECK(call.answered_at.empty());
  CHECK(call.ended_at.empty());
  CHECK(call.timeline == std::vector<TimelineEntry>{{"2024-05-01T10:00:00Z", "call.initiated", "e1"}});
}

TEST_CASE("in-order delivery walks initiated → ringing → answered → completed, each step a state change") {
  CallRecord call;
  CHECK(apply(call, call_event("call.initiated", "e1", "2024-05-01T10:00:00Z")).state_changed);
  CHECK(call.state == CallState::initiated);
  CHECK(apply(call, call_event("call.ringing", "e2", "2024-05-01T10:00:01Z")).state_changed);
  CHECK(call.state == CallState::ringing);
  CHECK(apply(call, call_event("call.answered", "e3", "2024-05-01T10:00:05Z")).state_changed);
  CHECK(call.state == CallState::answered);
  CHECK(call.answered_at == "2024-05-01T10:00:05Z");
  CHECK(apply(call, call_event("call.hangup", "e4", "2024-05-01T10:02:00Z")).state_changed);
  CHECK(call.state == CallState::completed);
  CHECK(call.started_at == "2024-05-01T10:00:00Z");
  CHECK(call.ended_at == "2024-05-01T10:02:00Z");
}

TEST_CASE("every transition of the state machine, by the events that lead to it") {
  struct Case {
    std::vector<std::string> types;
    CallState state;
  };
  const std::vector<Case> cases{
      {{"call.initiated"}, CallState::initiated},
      {{"call.initiated", "call.ringing"}, CallState::ringing},
      {{"call.initiated", "call.answered"}, CallState::answered},
      {{"call.initiated", "call.ringing", "call.answered"}, CallState::answered},
      {{"call.initiated", "call.bridged"}, CallState::answered},
      {{"call.initiated", "call.answered", "call.bridged"}, CallState::answered},
      {{"call.initiated", "call.answered", "call.hangup"}, CallState::completed},
      {{"call.initiated", "call.answered", "call.completed"}, CallState::completed},
      {{"call.initiated", "call.bridged", "call.hangup"}, CallState::completed},
      {{"call.initiated", "call.hangup"}, CallState::missed},
      {{"call.initiated", "call.ringing", "call.hangup"}, CallState::missed},
      {{"call.ringing", "call.completed"}, CallState::missed},
      {{"call.ringing"}, CallState::ringing},
      {{"call.answered"}, CallState::answered},
      {{"call.hangup"}, CallState::missed},
  };
  for (const auto& test : cases) {
    std::string path;
    for (const auto& type : test.types) path += type + " ";
    INFO(path);
    CHECK(run(test.types).state == test.state);
  }
}

TEST_CASE("bridged counts as answered: answered_at is the bridge's time") {
  const auto call = run({"call.initiated", "call.bridged", "call.hangup"});
  CHECK(call.state == CallState::completed);
  CHECK(call.answered_at == "2024-05-01T10:00:01Z");
  CHECK(call.ended_at == "2024-05-01T10:00:02Z");
}

TEST_CASE("a duplicate provider event id changes nothing, whatever it carries") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.initiated", "e1", "2024-05-01T10:00:00Z")).changed());
  REQUIRE(apply(call, call_event("call.answered", "e2", "2024-05-01T10:00:05Z")).changed());
  const CallRecord before = call;
  const auto again = apply(call, call_event("call.answered", "e2", "2024-05-01T10:00:05Z"));
  CHECK(again.kind == ApplyOutcome::Kind::duplicate);
  CHECK_FALSE(again.changed());
  CHECK_FALSE(again.state_changed);
  CHECK(call == before);
  // A redelivery is the same event even if a retry re-stamped it.
  CHECK(apply(call, call_event("call.hangup", "e1", "2024-05-01T10:09:00Z")).kind == ApplyOutcome::Kind::duplicate);
  CHECK(call == before);
}

TEST_CASE("events without a provider id are duplicates only with the same type and time") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.initiated", "", "2024-05-01T10:00:00Z")).changed());
  CHECK(apply(call, call_event("call.initiated", "", "2024-05-01T10:00:00Z")).kind == ApplyOutcome::Kind::duplicate);
  CHECK(apply(call, call_event("call.ringing", "", "2024-05-01T10:00:00Z")).kind == ApplyOutcome::Kind::recorded);
  CHECK(call.timeline.size() == 2);
}

TEST_CASE("out of order: a hangup before the answer ends missed, then completed when the answer arrives") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.initiated", "e1", "2024-05-01T10:00:00Z")).changed());
  const auto hangup = apply(call, call_event("call.hangup", "e3", "2024-05-01T10:02:00Z"));
  CHECK(hangup.state_changed);
  CHECK(call.state == CallState::missed);
  CHECK(call.ended_at == "2024-05-01T10:02:00Z");
  const auto answered = apply(call, call_event("call.answered", "e2", "2024-05-01T10:00:05Z"));
  CHECK(answered.kind == ApplyOutcome::Kind::recorded);
  CHECK(answered.state_changed);
  CHECK(call.state == CallState::completed);
  CHECK(call.answered_at == "2024-05-01T10:00:05Z");
  CHECK(call.ended_at == "2024-05-01T10:02:00Z");
  CHECK(timeline_types(call) == std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"});
}

TEST_CASE("out of order: call.completed before the answer also ends missed, then completed") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.completed", "c", "2024-05-01T10:02:00Z")).changed());
  CHECK(call.state == CallState::missed);
  CHECK(call.started_at == "2024-05-01T10:02:00Z");
  REQUIRE(apply(call, call_event("call.answered", "a", "2024-05-01T10:00:05Z")).changed());
  CHECK(call.state == CallState::completed);
  CHECK(call.started_at == "2024-05-01T10:00:05Z");
}

TEST_CASE("out of order: a late ringing or initiated after the end never moves the state backwards") {
  CallRecord completed;
  REQUIRE(apply(completed, call_event("call.answered", "a", "2024-05-01T10:00:05Z")).changed());
  REQUIRE(apply(completed, call_event("call.hangup", "h", "2024-05-01T10:02:00Z")).changed());
  const auto ringing = apply(completed, call_event("call.ringing", "r", "2024-05-01T10:00:01Z"));
  CHECK(ringing.kind == ApplyOutcome::Kind::recorded);
  CHECK_FALSE(ringing.state_changed);
  const auto initiated = apply(completed, call_event("call.initiated", "i", "2024-05-01T10:00:00Z"));
  CHECK_FALSE(initiated.state_changed);
  CHECK(completed.state == CallState::completed);
  CHECK(completed.started_at == "2024-05-01T10:00:00Z");
  CHECK(timeline_types(completed) ==
        std::vector<std::string>{"call.initiated", "call.ringing", "call.answered", "call.hangup"});

  CallRecord missed;
  REQUIRE(apply(missed, call_event("call.hangup", "h", "2024-05-01T10:00:30Z")).changed());
  REQUIRE(apply(missed, call_event("call.ringing", "r", "2024-05-01T10:00:01Z")).changed());
  CHECK(missed.state == CallState::missed);

  CallRecord answered;
  REQUIRE(apply(answered, call_event("call.answered", "a", "2024-05-01T10:00:05Z")).changed());
  REQUIRE(apply(answered, call_event("call.ringing", "r", "2024-05-01T10:00:01Z")).changed());
  CHECK(answered.state == CallState::answered);
}

TEST_CASE("out of order: the earliest of several answers or ends is the one kept") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.bridged", "b", "2024-05-01T10:00:09Z")).changed());
  REQUIRE(apply(call, call_event("call.answered", "a", "2024-05-01T10:00:05Z")).changed());
  REQUIRE(apply(call, call_event("call.completed", "c", "2024-05-01T10:02:01Z")).changed());
  REQUIRE(apply(call, call_event("call.hangup", "h", "2024-05-01T10:02:00Z")).changed());
  CHECK(call.answered_at == "2024-05-01T10:00:05Z");
  CHECK(call.ended_at == "2024-05-01T10:02:00Z");
}

TEST_CASE("the timeline sorts by time, not text: precision and offsets compare correctly") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.hangup", "h", "2024-05-01T10:00:00.5Z")).changed());
  REQUIRE(apply(call, call_event("call.answered", "a", "2024-05-01T10:00:00Z")).changed());
  REQUIRE(apply(call, call_event("call.initiated", "i", "2024-05-01T11:59:59+02:00")).changed());
  CHECK(timeline_types(call) == std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"});
  CHECK(call.started_at == "2024-05-01T11:59:59+02:00");
  CHECK(call.ended_at == "2024-05-01T10:00:00.5Z");
}

TEST_CASE("equal times keep arrival order; unparseable times sort after every parseable one") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.initiated", "i", "2024-05-01T10:00:00Z")).changed());
  REQUIRE(apply(call, call_event("call.ringing", "r", "2024-05-01T10:00:00Z")).changed());
  REQUIRE(apply(call, call_event("call.answered", "a", "yesterday")).changed());
  REQUIRE(apply(call, call_event("call.hangup", "h", "2024-05-01T09:00:00Z")).changed());
  CHECK(timeline_types(call) == std::vector<std::string>{"call.hangup", "call.initiated", "call.ringing", "call.answered"});
  CHECK(call.state == CallState::completed);
  CHECK(call.answered_at == "yesterday");
  CHECK(call.started_at == "2024-05-01T09:00:00Z");
}

TEST_CASE("mark_rejected: the pipeline's verdict, recorded once in the timeline") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.initiated", "e1", "2024-05-01T10:00:00Z")).changed());
  CHECK(mark_rejected(call, "2024-05-01T10:00:00.2Z"));
  CHECK(call.state == CallState::rejected);
  CHECK(call.rejected_at == "2024-05-01T10:00:00.2Z");
  CHECK(call.timeline.back() == TimelineEntry{"2024-05-01T10:00:00.2Z", "call.rejected", ""});
  const CallRecord before = call;
  CHECK_FALSE(mark_rejected(call, "2024-05-01T10:00:01Z"));
  CHECK(call == before);
  CallRecord untimed = run({"call.initiated"});
  CHECK_FALSE(mark_rejected(untimed, ""));
  CHECK(untimed.state == CallState::initiated);
  CHECK(untimed.timeline.size() == 1);
}

TEST_CASE("a rejected call stays rejected through a later hangup, answer or completion") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.initiated", "e1", "2024-05-01T10:00:00Z")).changed());
  REQUIRE(mark_rejected(call, "2024-05-01T10:00:01Z"));
  // A spoken rejection answers the call to speak, then hangs up.
  const auto answered = apply(call, call_event("call.answered", "e2", "2024-05-01T10:00:02Z"));
  CHECK(answered.changed());
  CHECK_FALSE(answered.state_changed);
  const auto hangup = apply(call, call_event("call.hangup", "e3", "2024-05-01T10:00:09Z"));
  CHECK(hangup.changed());
  CHECK_FALSE(hangup.state_changed);
  CHECK(call.state == CallState::rejected);
  CHECK(call.ended_at == "2024-05-01T10:00:09Z");
}

TEST_CASE("rejection applies from any state before the end") {
  for (const auto& types : std::vector<std::vector<std::string>>{
           {"call.initiated"}, {"call.initiated", "call.ringing"}, {"call.initiated", "call.answered"}}) {
    auto call = run(types);
    INFO(types.back());
    CHECK(mark_rejected(call, "2024-05-01T10:00:30Z"));
    CHECK(call.state == CallState::rejected);
  }
}

TEST_CASE("recording, transcript and summary attach with what they carry, without changing the state") {
  CallRecord call = run({"call.initiated", "call.answered", "call.hangup"});
  REQUIRE(call.state == CallState::completed);
  auto recorded = call_event("call.recording.completed", "rec", "2024-05-01T10:03:00Z");
  recorded.media_url = "https://media.example.com/rec.mp3";
  recorded.duration_s = 42;
  const auto recording = apply(call, recorded);
  CHECK(recording.changed());
  CHECK_FALSE(recording.state_changed);
  auto transcribed = call_event("call.transcript.completed", "tr", "2024-05-01T10:04:00Z");
  transcribed.text = "My basement is flooding";
  REQUIRE(apply(call, transcribed).changed());
  auto summarized = call_event("call.summary.completed", "su", "2024-05-01T10:05:00Z");
  summarized.text = "Flooded basement.";
  REQUIRE(apply(call, summarized).changed());
  CHECK(call.state == CallState::completed);
  CHECK(call.recording == Attachment{"2024-05-01T10:03:00Z", "rec", "https://media.example.com/rec.mp3", 42, ""});
  CHECK(call.transcript == Attachment{"2024-05-01T10:04:00Z", "tr", "", std::nullopt, "My basement is flooding"});
  CHECK(call.summary == Attachment{"2024-05-01T10:05:00Z", "su", "", std::nullopt, "Flooded basement."});
  CHECK(call.ended_at == "2024-05-01T10:00:02Z");
  // A later recording does not replace the first; an earlier one does.
  auto later = call_event("call.recording.completed", "rec2", "2024-05-01T10:06:00Z");
  REQUIRE(apply(call, later).changed());
  CHECK(call.recording->provider_event_id == "rec");
  auto earlier = call_event("call.recording.completed", "rec0", "2024-05-01T10:01:00Z");
  REQUIRE(apply(call, earlier).changed());
  CHECK(call.recording->provider_event_id == "rec0");
  // What is attached survives the stored form.
  const auto back = call_from_json(to_json(call));
  REQUIRE(back.ok());
  CHECK(*back == call);
}

TEST_CASE("an attachment that arrives before the call's other events leaves the state to them") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.recording.completed", "rec", "2024-05-01T10:03:00Z")).changed());
  CHECK(call.state == CallState::initiated);
  CHECK(call.recording == Attachment{"2024-05-01T10:03:00Z", "rec", "", std::nullopt, ""});
  REQUIRE(apply(call, call_event("call.answered", "a", "2024-05-01T10:00:05Z")).changed());
  REQUIRE(apply(call, call_event("call.hangup", "h", "2024-05-01T10:02:00Z")).changed());
  CHECK(call.state == CallState::completed);
  CHECK(call.started_at == "2024-05-01T10:00:05Z");
  CHECK_FALSE(call.transcript.has_value());
}

TEST_CASE("events of another call, without a call id, or not about calls are ignored") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.initiated", "e1", "2024-05-01T10:00:00Z")).changed());
  const CallRecord before = call;
  auto other = call_event("call.hangup", "e2", "2024-05-01T10:00:01Z");
  other.call_id = "v3:other";
  CHECK(apply(call, other).kind == ApplyOutcome::Kind::ignored);
  auto no_id = call_event("call.hangup", "e3", "2024-05-01T10:00:01Z");
  no_id.call_id.clear();
  CHECK(apply(call, no_id).kind == ApplyOutcome::Kind::ignored);
  auto message = call_event("message.received", "e4", "2024-05-01T10:00:01Z");
  message.kind = EventKind::message;
  CHECK(apply(call, message).kind == ApplyOutcome::Kind::ignored);
  CHECK_FALSE(apply(call, message).changed());
  CHECK(call == before);
}

TEST_CASE("identity fields are taken from the first event that has them") {
  CallRecord call;
  auto bare = call_event("call.ringing", "e1", "2024-05-01T10:00:01Z");
  bare.from.clear();
  bare.direction = Direction::unknown;
  REQUIRE(apply(call, bare).changed());
  CHECK(call.from.empty());
  REQUIRE(apply(call, call_event("call.initiated", "e0", "2024-05-01T10:00:00Z")).changed());
  CHECK(call.from == "+15555550123");
  CHECK(call.direction == "inbound");
  auto different = call_event("call.hangup", "e2", "2024-05-01T10:00:09Z");
  different.from = "+15555550999";
  REQUIRE(apply(call, different).changed());
  CHECK(call.from == "+15555550123");
}

TEST_CASE("call state names round-trip, and unknown names are refused") {
  for (const auto state : {CallState::initiated, CallState::ringing, CallState::answered, CallState::completed,
                           CallState::rejected, CallState::missed}) {
    CHECK(parse_call_state(call_state_name(state)) == state);
  }
  CHECK(call_state_name(CallState::missed) == "missed");
  CHECK_FALSE(parse_call_state("hungup").has_value());
  CHECK_FALSE(parse_call_state("").has_value());
}

TEST_CASE("to_json writes every field in a fixed order; call_from_json reads it back equal") {
  CallRecord call = run({"call.initiated", "call.answered", "call.hangup", "call.recording.completed"});
  REQUIRE(mark_rejected(call, "2024-05-01T10:00:01.5Z"));
  call.decision = R"({"decision":"rejected","reason":"unknown caller"})";
  const auto object = to_json(call);
  CHECK(boost::json::serialize(object) ==
        R"({"call_id":"v3:abc","provider":"telnyx","from":"+15555550123","to":"+18886115384","direction":"inbound",)"
        R"("state":"rejected","started_at":"2024-05-01T10:00:00Z","answered_at":"2024-05-01T10:00:01Z",)"
        R"("ended_at":"2024-05-01T10:00:02Z","rejected_at":"2024-05-01T10:00:01.5Z","timeline":[)"
        R"({"at":"2024-05-01T10:00:00Z","type":"call.initiated","provider_event_id":"e0"},)"
        R"({"at":"2024-05-01T10:00:01Z","type":"call.answered","provider_event_id":"e1"},)"
        R"({"at":"2024-05-01T10:00:01.5Z","type":"call.rejected","provider_event_id":""},)"
        R"({"at":"2024-05-01T10:00:02Z","type":"call.hangup","provider_event_id":"e2"},)"
        R"({"at":"2024-05-01T10:00:03Z","type":"call.recording.completed","provider_event_id":"e3"}],)"
        R"("recording":{"at":"2024-05-01T10:00:03Z","provider_event_id":"e3","url":"","duration_s":null,"text":""},)"
        R"("transcript":null,"summary":null,)"
        R"("decision":"{\"decision\":\"rejected\",\"reason\":\"unknown caller\"}","analysis":""})");
  const auto stored = boost::json::parse(boost::json::serialize(object));
  const auto back = call_from_json(stored.get_object());
  REQUIRE(back.ok());
  CHECK(*back == call);
  // The record read back keeps working as a state machine.
  CallRecord resumed = *back;
  CHECK(apply(resumed, call_event("call.hangup", "e2", "2024-05-01T10:00:02Z")).kind == ApplyOutcome::Kind::duplicate);
}

TEST_CASE("a fresh record round-trips too") {
  CallRecord call;
  REQUIRE(apply(call, call_event("call.initiated", "e1", "2024-05-01T10:00:00Z")).changed());
  const auto back = call_from_json(to_json(call));
  REQUIRE(back.ok());
  CHECK(*back == call);
}

TEST_CASE("call_from_json refuses a stored record that to_json could not have written") {
  CallRecord call = run({"call.initiated"});
  const auto good = to_json(call);
  const auto refused = [&](const std::function<void(boost::json::object&)>& edit) {
    auto object = good;
    edit(object);
    const auto back = call_from_json(object);
    if (back.ok()) return std::string("accepted");
    CHECK(back.error().code == ErrorCode::internal);
    return back.error().message;
  };
  CHECK(refused([](auto& o) { o.erase("call_id"); }) == "stored call: call_id is missing");
  CHECK(refused([](auto& o) { o["state"] = "hungup"; }) == "stored call: state is not a call state");
  CHECK(refused([](auto& o) { o.erase("state"); }) == "stored call: state is not a call state");
  CHECK(refused([](auto& o) { o["from"] = 15555550123; }) == "stored call: from is not a string");
  CHECK(refused([](auto& o) { o["timeline"] = "none"; }) == "stored call: timeline is not an array");
  CHECK(refused([](auto& o) { o["timeline"] = boost::json::array{1}; }) ==
        "stored call: timeline holds an entry that is not an object");
  CHECK(refused([](auto& o) { o["timeline"] = boost::json::array{boost::json::object{{"type", 1}}}; }) ==
        "stored call: type is not a string");
  CHECK(refused([](auto& o) { o["recording"] = true; }) == "stored call: recording is neither null nor an object");
  CHECK(refused([](auto& o) { o["summary"] = boost::json::object{{"at", false}}; }) == "stored call: at is not a string");
}

TEST_CASE("an answer reported inside a later event (OpenPhone's answeredAt) makes the call completed, not missed") {
  CallRecord call;
  auto completed = call_event("call.completed", "EVc", "2024-05-01T10:01:00Z");
  completed.answered_at = "2024-05-01T10:00:05Z";
  apply(call, call_event("call.ringing", "EVr", "2024-05-01T10:00:00Z"));
  apply(call, completed);
  CHECK(call.state == CallState::completed);
  CHECK(call.answered_at == "2024-05-01T10:00:05Z");
  CHECK(timeline_types(call) == std::vector<std::string>{"call.ringing", "call.answered", "call.completed"});
  CHECK(apply(call, completed).kind == ApplyOutcome::Kind::duplicate);
  CHECK(call.timeline.size() == 3);

  CallRecord unanswered;
  apply(unanswered, call_event("call.ringing", "EVr", "2024-05-01T10:00:00Z"));
  apply(unanswered, call_event("call.completed", "EVc", "2024-05-01T10:01:00Z"));
  CHECK(unanswered.state == CallState::missed);
}
