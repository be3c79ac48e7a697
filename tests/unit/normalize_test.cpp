#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/normalize/normalize.hpp"

using namespace frontdesk;

namespace {

Config config_with_numbers() {
  auto document = boost::json::parse(R"({"tenants":{"acme":{"numbers":["+18886115384","1-888-474-TREE"]}}})");
  auto config = parse_config(document.as_object(), {});
  REQUIRE(config.ok());
  return std::move(config.value());
}

Result<Event> run(SourceKind kind, std::string body, std::string content_type = "application/json",
                  std::string delivery_id = {}, Headers extra = {}) {
  static const Config config = config_with_numbers();
  SourceConfig source;
  source.name = "src";
  source.kind = kind;
  Request request;
  request.method = "POST";
  request.body = std::move(body);
  request.headers = std::move(extra);
  request.headers.add("content-type", std::move(content_type));
  const verify::Verified verified{std::move(delivery_id)};
  return normalize::normalize({config, source, request, verified, 1700000000000});
}

}  // namespace

TEST_CASE("Telnyx call.initiated: data.payload fields, STIR/SHAKEN, data.id as the event id") {
  const auto event = run(SourceKind::telnyx, R"({"data":{"event_type":"call.initiated","id":"0ccc7b54","occurred_at":"2024-05-01T10:00:00.000000Z",
    "payload":{"call_control_id":"v3:abc","direction":"incoming","from":"+1 (555) 555-0123","to":"+18886115384",
    "shaken_stir_attestation":"A","shaken_stir_validated":true,"state":"parked"},"record_type":"event"},"meta":{"attempt":2}})");
  REQUIRE(event.ok());
  CHECK(event->source == "src");
  CHECK(event->provider == "telnyx");
  CHECK(event->kind == EventKind::call);
  CHECK(event->type == "call.initiated");
  CHECK(event->provider_event_id == "0ccc7b54");
  CHECK(event->occurred_at == "2024-05-01T10:00:00.000000Z");
  CHECK(event->received_at == "2023-11-14T22:13:20.000Z");
  CHECK(event->call_id == "v3:abc");
  CHECK(event->from == "+15555550123");
  CHECK(event->to == "+18886115384");
  CHECK(event->direction == Direction::inbound);
  CHECK(event->stir_attestation == "A");
  CHECK(event->stir_verified == "true");
  CHECK(event->payload.find("\"attempt\":2") != std::string::npos);
}

TEST_CASE("Telnyx messages: from.phone_number, to[] list, text; finalized is message.<status> with the error code") {
  const auto received = run(SourceKind::telnyx, R"({"data":{"event_type":"message.received","id":"m-evt","payload":{
    "id":"msg-1","direction":"inbound","from":{"phone_number":"+15555550123"},"to":[{"phone_number":"+18886115384","status":"webhook_delivered"}],"text":"Pipe burst!"}}})");
  REQUIRE(received.ok());
  CHECK(received->kind == EventKind::message);
  CHECK(received->type == "message.received");
  CHECK(received->message_id == "msg-1");
  CHECK(received->from == "+15555550123");
  CHECK(received->to == "+18886115384");
  CHECK(received->text == "Pipe burst!");
  const auto delivered = run(SourceKind::telnyx, R"({"data":{"event_type":"message.finalized","id":"f1","payload":{"id":"msg-2","to":[{"phone_number":"+15555550123","status":"delivered"}]}}})");
  CHECK(delivered->type == "message.delivered");
  CHECK(delivered->status == "delivered");
  const auto failed = run(SourceKind::telnyx, R"({"data":{"event_type":"message.finalized","id":"f2","payload":{"id":"msg-3","direction":"outbound","to":[{"status":"delivery_failed"}],"errors":[{"code":"40300","title":"Blocked as spam"}]}}})");
  CHECK(failed->type == "message.failed");
  CHECK(failed->kind == EventKind::message);
  CHECK(failed->status == "failed");
  CHECK(failed->error_code == "40300");
  CHECK(failed->message_id == "msg-3");
}

TEST_CASE("a group text keeps every recipient: Telnyx to[] and cc[], OpenPhone's comma-separated to") {
  const auto telnyx = run(SourceKind::telnyx, R"({"data":{"event_type":"message.received","id":"g1","payload":{
    "id":"msg-g","direction":"inbound","from":{"phone_number":"+15555550123"},
    "to":[{"phone_number":"+15555550177"},{"phone_number":"+18886115384"}],"cc":[{"phone_number":"+15555550178"}],"text":"hi all"}}})");
  REQUIRE(telnyx.ok());
  CHECK(telnyx->recipients == std::vector<std::string>{"+15555550177", "+18886115384", "+15555550178"});
  CHECK(telnyx->to == "+18886115384");  // ours, whichever place it has
  const auto openphone = run(SourceKind::openphone, R"({"id":"EVg","type":"message.received","data":{"object":{
    "id":"ACg","from":"+15555550123","to":"+18886115384,+15555550177","direction":"incoming","body":"hi all"}}})");
  REQUIRE(openphone.ok());
  CHECK(openphone->recipients == std::vector<std::string>{"+18886115384", "+15555550177"});
  CHECK(openphone->to == "+18886115384");
  CHECK(openphone->text == "hi all");
}

TEST_CASE("OpenPhone app webhook calls carry from and to as strings") {
  const auto event = run(SourceKind::openphone, R"({"id":"EVc","type":"call.ringing","data":{"object":{
    "id":"ACc","from":"+15555550123","to":"+18886115384","direction":"incoming","status":"ringing"}}})");
  REQUIRE(event.ok());
  CHECK(event->kind == EventKind::call);
  CHECK(event->from == "+15555550123");
  CHECK(event->to == "+18886115384");
  CHECK(event->status == "ringing");
}

TEST_CASE("Quo's 2026-03-30 generation: data.resource and data.context") {
  const auto text = run(SourceKind::openphone, R"({"id":"EVq","apiVersion":"2026-03-30","type":"message.received",
    "data":{"resource":{"id":"ACq","direction":"incoming","text":"Open Saturday?"},
    "context":{"senderIdentifier":"+15555550123","recipientIdentifiers":["+18886115384"]}}})");
  REQUIRE(text.ok());
  CHECK(text->kind == EventKind::message);
  CHECK(text->message_id == "ACq");
  CHECK(text->from == "+15555550123");
  CHECK(text->to == "+18886115384");
  CHECK(text->direction == Direction::inbound);
  CHECK(text->text == "Open Saturday?");
  // The identifiers on the resource itself read the same.
  const auto on_resource = run(SourceKind::openphone, R"({"id":"EVq2","apiVersion":"2026-03-30","type":"message.received",
    "data":{"resource":{"id":"ACq2","direction":"incoming","text":"Hi","senderIdentifier":"+15555550123",
    "recipientIdentifiers":["+15555550177","+18886115384"]},"context":{}}})");
  REQUIRE(on_resource.ok());
  CHECK(on_resource->from == "+15555550123");
  CHECK(on_resource->recipients == std::vector<std::string>{"+15555550177", "+18886115384"});
  CHECK(on_resource->to == "+18886115384");
  const auto call = run(SourceKind::openphone, R"({"id":"EVr","apiVersion":"2026-03-30","type":"call.ringing",
    "data":{"resource":{"id":"ACr","direction":"incoming","status":"ringing"},
    "context":{"participants":{"workspace":["+18886115384"],"external":["+15555550123"],"resolution":"available"}}}})");
  REQUIRE(call.ok());
  CHECK(call->kind == EventKind::call);
  CHECK(call->call_id == "ACr");
  CHECK(call->from == "+15555550123");
  CHECK(call->to == "+18886115384");
  const auto summary = run(SourceKind::openphone, R"({"id":"EVs","type":"callSummary","data":{"object":{
    "callId":"ACs","summary":["Asked about hours."],"status":"completed"}}})");
  REQUIRE(summary.ok());
  CHECK(summary->type == "call.summary.completed");
  CHECK(summary->call_id == "ACs");
  CHECK(summary->text == "Asked about hours.");
}

TEST_CASE("unknown types of a verified source are platform events, never errors") {
  const auto event = run(SourceKind::telnyx, R"({"data":{"event_type":"number_order.complete","id":"n1"}})");
  REQUIRE(event.ok());
  CHECK(event->kind == EventKind::platform);
  CHECK(event->type == "platform.number_order.complete");
}

TEST_CASE("OpenPhone calls: participants[] decide from/to by which one is ours") {
  const auto inbound = run(SourceKind::openphone, R"({"id":"EVc1","object":"event","createdAt":"2024-05-01T10:00:00.000Z","type":"call.ringing",
    "data":{"object":{"id":"ACa1","object":"call","direction":"incoming","participants":["+15555550123","+18886115384"],"status":"ringing"}}})");
  REQUIRE(inbound.ok());
  CHECK(inbound->provider_event_id == "EVc1");
  CHECK(inbound->kind == EventKind::call);
  CHECK(inbound->type == "call.ringing");
  CHECK(inbound->call_id == "ACa1");
  CHECK(inbound->from == "+15555550123");
  CHECK(inbound->to == "+18886115384");
  CHECK(inbound->occurred_at == "2024-05-01T10:00:00.000Z");
  const auto outbound = run(SourceKind::openphone, R"({"id":"EVc2","type":"call.completed",
    "data":{"object":{"id":"ACa2","direction":"outgoing","participants":["+18884748733","+15555550199"]}}})");
  CHECK(outbound->from == "+18884748733");
  CHECK(outbound->to == "+15555550199");
  CHECK(outbound->direction == Direction::outbound);
  const auto summary = run(SourceKind::openphone, R"({"id":"EVs","type":"call.summary.completed","data":{"object":{"callId":"ACa1","summary":["x"]}}})");
  CHECK(summary->call_id == "ACa1");
  CHECK(summary->type == "call.summary.completed");
}

TEST_CASE("OpenPhone messages: to is a list, text is text") {
  const auto event = run(SourceKind::openphone, R"({"id":"EVm1","type":"message.received","data":{"object":{"id":"MSg1","object":"message",
    "from":"+15555550123","to":["+18886115384"],"text":"Can I book Tuesday?","direction":"incoming"}}})");
  REQUIRE(event.ok());
  CHECK(event->kind == EventKind::message);
  CHECK(event->message_id == "MSg1");
  CHECK(event->from == "+15555550123");
  CHECK(event->to == "+18886115384");
  CHECK(event->text == "Can I book Tuesday?");
  CHECK(event->direction == Direction::inbound);
}

TEST_CASE("Standard Webhooks use webhook-id and Quo's OpenPhone shape") {
  const auto event = run(SourceKind::standard, R"({"type":"message.received","timestamp":"2024-05-01T10:00:00Z","data":{"object":{"id":"MS2","from":"+15555550123","to":["+18886115384"],"text":"hi"}}})",
                         "application/json", "msg_abc");
  REQUIRE(event.ok());
  CHECK(event->provider_event_id == "msg_abc");
  CHECK(event->type == "message.received");
  CHECK(event->occurred_at == "2024-05-01T10:00:00Z");
  const auto other = run(SourceKind::standard, R"({"type":"invoice.paid","data":{}})", "application/json", "msg_x");
  CHECK(other->type == "platform.invoice.paid");
}

TEST_CASE("Twilio voice and SMS forms") {
  const auto call = run(SourceKind::twilio, "CallSid=CA123&CallStatus=ringing&From=%2B15555550123&To=%2B18886115384&Direction=inbound&StirVerstat=TN-Validation-Passed-B",
                        "application/x-www-form-urlencoded");
  REQUIRE(call.ok());
  CHECK(call->kind == EventKind::call);
  CHECK(call->type == "call.ringing");
  CHECK(call->call_id == "CA123");
  CHECK(call->provider_event_id == "CA123:ringing");
  CHECK(call->from == "+15555550123");
  CHECK(call->stir_attestation == "B");
  CHECK(call->stir_verified == "true");
  const auto sms = run(SourceKind::twilio, "MessageSid=SM1&SmsStatus=received&Body=Help+now&From=%2B15555550123&To=%2B18886115384",
                       "application/x-www-form-urlencoded", "idem-token-1");
  REQUIRE(sms.ok());
  CHECK(sms->type == "message.received");
  CHECK(sms->text == "Help now");
  CHECK(sms->provider_event_id == "idem-token-1");
  CHECK(sms->direction == Direction::inbound);
  const auto neither = run(SourceKind::twilio, "Foo=bar", "application/x-www-form-urlencoded");
  CHECK(neither.error().code == ErrorCode::malformed_body);
}

TEST_CASE("Twilio status callbacks, recordings and transcriptions") {
  const auto form = "application/x-www-form-urlencoded";
  // A status callback of a text we sent: no Direction, and From is our number.
  const auto failed = run(SourceKind::twilio,
                          "MessageSid=SM9&MessageStatus=undelivered&ErrorCode=30003&From=%2B18886115384&To=%2B15555550123",
                          form);
  REQUIRE(failed.ok());
  CHECK(failed->kind == EventKind::message);
  CHECK(failed->type == "message.undelivered");
  CHECK(failed->status == "undelivered");
  CHECK(failed->error_code == "30003");
  CHECK(failed->direction == Direction::outbound);
  CHECK(failed->provider_event_id == "SM9:undelivered");
  const auto queued = run(SourceKind::twilio, "MessageSid=SM9&MessageStatus=queued&From=%2B18886115384&To=%2B15555550123", form);
  CHECK(queued->type == "message.queued");
  const auto recording = run(SourceKind::twilio,
                             "CallSid=CA1&RecordingSid=RE1&RecordingStatus=completed&RecordingDuration=12"
                             "&RecordingUrl=https%3A%2F%2Fapi.twilio.com%2FRE1",
                             form);
  REQUIRE(recording.ok());
  CHECK(recording->kind == EventKind::call);
  CHECK(recording->type == "call.recording.completed");
  CHECK(recording->call_id == "CA1");
  CHECK(recording->provider_event_id == "RE1:completed");
  const auto transcript = run(SourceKind::twilio,
                              "CallSid=CA1&TranscriptionSid=TR1&TranscriptionStatus=completed&TranscriptionText=Call+me+back",
                              form);
  REQUIRE(transcript.ok());
  CHECK(transcript->type == "call.transcript.completed");
  CHECK(transcript->text == "Call me back");
}

TEST_CASE("a Twilio Event Streams batch is one delivery of several events, each keyed by its CloudEvent id") {
  const auto body = R"([
    {"specversion":"1.0","type":"com.twilio.messaging.message.sent","id":"EZ1","data":{"messageSid":"SM7","from":"+18886115384","to":"+15555550123","messageStatus":"SENT"}},
    {"specversion":"1.0","type":"com.twilio.messaging.message.failed","id":"EZ2","data":{"messageSid":"SM7","from":"+18886115384","to":"+15555550123","errorCode":30008}},
    {"specversion":"1.0","type":"com.twilio.messaging.inbound-message.received","id":"EZ3","data":{"messageSid":"SM8","from":"+15555550123","to":"+18886115384","body":"Thanks"}}
  ])";
  static const Config config = config_with_numbers();
  SourceConfig source;
  source.name = "twilio";
  source.kind = SourceKind::twilio;
  Request request;
  request.method = "POST";
  request.body = body;
  request.headers.add("content-type", "application/json");
  const auto events = normalize::normalize_all({config, source, request, verify::Verified{}, 1700000000000});
  REQUIRE(events.ok());
  REQUIRE(events->size() == 3);
  const auto& sent = (*events)[0];
  CHECK(sent.kind == EventKind::message);
  CHECK(sent.type == "message.sent");
  CHECK(sent.provider_event_id == "EZ1");
  CHECK(sent.message_id == "SM7");
  CHECK(sent.direction == Direction::outbound);
  CHECK(sent.payload.find("\"EZ1\"") != std::string::npos);
  CHECK(sent.payload.find("EZ2") == std::string::npos);
  const auto& failed = (*events)[1];
  CHECK(failed.type == "message.failed");
  CHECK(failed.error_code == "30008");
  const auto& received = (*events)[2];
  CHECK(received.type == "message.received");
  CHECK(received.direction == Direction::inbound);
  CHECK(received.text == "Thanks");
  // The one-event entry point refuses a batch rather than dropping events.
  CHECK(normalize::normalize({config, source, request, verify::Verified{}, 1700000000000}).error().code ==
        ErrorCode::malformed_body);
  request.body = "[]";
  CHECK(normalize::normalize_all({config, source, request, verify::Verified{}, 1700000000000}).error().code ==
        ErrorCode::malformed_body);
}

TEST_CASE("a GitHub hook with the form content type is read from its payload field") {
  Headers github_headers;
  github_headers.add("X-GitHub-Event", "ping");
  const auto ping = run(SourceKind::github, "payload=%7B%22zen%22%3A%22Design+for+failure.%22%7D",
                        "application/x-www-form-urlencoded", "delivery-2", github_headers);
  REQUIRE(ping.ok());
  CHECK(ping->type == "platform.ping");
  CHECK(ping->payload == "payload=%7B%22zen%22%3A%22Design+for+failure.%22%7D");
  const auto empty = run(SourceKind::github, "other=1", "application/x-www-form-urlencoded", "delivery-3", github_headers);
  CHECK(empty.error().code == ErrorCode::malformed_body);
}

TEST_CASE("GitHub and Stripe are platform events") {
  Headers github_headers;
  github_headers.add("X-GitHub-Event", "push");
  const auto push = run(SourceKind::github, R"({"ref":"refs/heads/main"})", "application/json", "delivery-1", github_headers);
  CHECK(push->type == "platform.push");
  CHECK(push->provider_event_id == "delivery-1");
  const auto stripe = run(SourceKind::stripe, R"({"id":"evt_1","type":"payment_intent.succeeded","created":1700000000})");
  CHECK(stripe->type == "platform.payment_intent.succeeded");
  CHECK(stripe->provider_event_id == "evt_1");
  CHECK(stripe->occurred_at == "2023-11-14T22:13:20.000Z");
}

TEST_CASE("unparseable bodies, non-objects, excessive depth and missing ids are malformed") {
  CHECK(run(SourceKind::stripe, "{not json").error().code == ErrorCode::malformed_body);
  CHECK(run(SourceKind::stripe, "[1,2]").error().code == ErrorCode::malformed_body);
  CHECK(run(SourceKind::stripe, std::string(100, '[') + std::string(100, ']')).error().code == ErrorCode::malformed_body);
  std::string deep = R"({"id":"evt_1","a":)";
  for (int i = 0; i < 40; ++i) deep += R"({"a":)";
  deep += "1" + std::string(41, '}');
  CHECK(run(SourceKind::stripe, deep).error().code == ErrorCode::malformed_body);
  CHECK(run(SourceKind::stripe, R"({"type":"x"})").error().code == ErrorCode::malformed_body);
  CHECK(run(SourceKind::telnyx, R"({"meta":{}})").error().code == ErrorCode::malformed_body);
}

TEST_CASE("OpenPhone call.completed carries answeredAt as the event's answered_at; JSON has it only when set") {
  const auto answered = run(SourceKind::openphone, R"({"id":"EVc3","type":"call.completed","createdAt":"2024-05-01T10:02:00.000Z",
    "data":{"object":{"id":"ACa3","direction":"incoming","answeredAt":"2024-05-01T10:00:04.000Z",
    "participants":["+15555550123","+18886115384"]}}})");
  REQUIRE(answered.ok());
  CHECK(answered->answered_at == "2024-05-01T10:00:04.000Z");
  CHECK(event_to_json(*answered).at("answered_at") == "2024-05-01T10:00:04.000Z");
  CHECK(event_from_json(event_to_json(*answered)).answered_at == answered->answered_at);
  const auto missed = run(SourceKind::openphone, R"({"id":"EVc4","type":"call.completed",
    "data":{"object":{"id":"ACa4","direction":"incoming","answeredAt":null,"participants":["+15555550123"]}}})");
  REQUIRE(missed.ok());
  CHECK(missed->answered_at.empty());
  CHECK_FALSE(event_to_json(*missed).contains("answered_at"));
}
