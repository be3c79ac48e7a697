#include "openphone_object.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "fields.hpp"

namespace frontdesk::normalize {
namespace json = boost::json;
namespace {

// The documented types, each generation's spelling mapped to one (the v4 API's sample
// summaries and transcripts say "callSummary" and "callTranscript").
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> known_types{{
    {"call.ringing", "call.ringing"},
    {"call.answered", "call.answered"},
    {"call.completed", "call.completed"},
    {"call.missed", "call.missed"},
    {"call.forwarded", "call.forwarded"},
    {"call.recording.completed", "call.recording.completed"},
    {"call.voicemail.completed", "call.voicemail.completed"},
    {"call.summary.completed", "call.summary.completed"},
    {"callSummary", "call.summary.completed"},
    {"call.transcript.completed", "call.transcript.completed"},
    {"callTranscript", "call.transcript.completed"},
    {"message.received", "message.received"},
    {"message.delivered", "message.delivered"},
    {"message.failed", "message.failed"},
    {"message.sent", "message.sent"},
    {"message.undelivered", "message.undelivered"},
}};

std::string_view known_type(std::string_view type) {
  for (const auto& [spelling, mapped] : known_types) {
    if (spelling == type) return mapped;
  }
  return {};
}

const json::object& object_or_empty(const json::object* object) {
  static const json::object empty;
  return object ? *object : empty;
}

// A transcript's dialogue or a summary's lines, one per line.
std::string lines_of(const json::value* list, std::string_view field) {
  std::string text;
  if (!list || !list->is_array()) return text;
  for (const auto& item : list->get_array()) {
    std::string line;
    if (const auto* plain = item.if_string()) line = std::string(*plain);
    if (const auto* object = item.if_object()) line = text_at(*object, {field});
    if (line.empty()) continue;
    if (!text.empty()) text += '\n';
    text += line;
  }
  return text;
}

// Our side and theirs of a call. The app webhooks give from/to as strings; the v4 API gives
// participants[] (the number that is ours, if listed, is our side); the 2026-03-30
// generation gives context.participants.workspace (ours) and .external (theirs).
void assign_call_numbers(const json::object& call, const json::object& context, const Config& config,
                         Event& event) {
  const bool outbound = event.direction == Direction::outbound;
  const auto from = phones_in(at(call, {"from"}));
  const auto to = phones_in(at(call, {"to"}));
  if (!from.empty() || !to.empty()) {
    event.from = from.empty() ? std::string{} : from.front();
    event.to = to.empty() ? std::string{} : to.front();
    return;
  }
  std::string our_side;
  std::string their_side;
  const auto* grouped = object_at(context, {"participants"});
  if (!grouped) grouped = object_at(call, {"participants"});
  const auto workspace = grouped ? phones_in(at(*grouped, {"workspace"})) : std::vector<std::string>{};
  const auto external = grouped ? phones_in(at(*grouped, {"external"})) : std::vector<std::string>{};
  if (!workspace.empty()) our_side = workspace.front();
  if (!external.empty()) their_side = external.front();
  for (const auto& participant : phones_in(at(call, {"participants"}))) {
    if (our_side.empty() && owned(config, participant)) {
      our_side = participant;
    } else if (their_side.empty() && participant != our_side) {
      their_side = participant;
    }
  }
  event.from = outbound ? our_side : their_side;
  event.to = outbound ? their_side : our_side;
}

// A recording's media: media[0] (app webhooks), a voicemail, or the resource itself.
void attach_media(const json::object& call, Event& event) {
  const auto* media = at(call, {"media"});
  const auto* first = media && media->is_array() && !media->get_array().empty() ? media->get_array()[0].if_object()
                                                                                 : nullptr;
  const auto* voicemail = object_at(call, {"voicemail"});
  for (const auto* holder : {first, voicemail, &call}) {
    if (!holder || !event.media_url.empty()) continue;
    event.media_url = text_at(*holder, {"url"});
    if (!event.media_url.empty()) event.duration_s = seconds_in(at(*holder, {"duration"}));
  }
}

void fill_message(const json::object& message, const json::object& context, std::string_view type,
                  const Config& config, Event& event) {
  event.kind = EventKind::message;
  event.message_id = text_at(message, {"id"});
  // from/to until 2026-03-30; since, senderIdentifier and recipientIdentifiers (read from
  // the resource or its context, wherever they are).
  const auto first_found = [&](std::string_view legacy, std::string_view current) {
    for (const auto* value : {at(message, {legacy}), at(message, {current}), at(context, {current})}) {
      if (auto numbers = phones_in(value); !numbers.empty()) return numbers;
    }
    return std::vector<std::string>{};
  };
  const auto sender = first_found("from", "senderIdentifier");
  event.from = sender.empty() ? std::string{} : sender.front();
  event.recipients = first_found("to", "recipientIdentifiers");
  event.to = event.recipients.empty() ? std::string{} : event.recipients.front();
  if (event.direction != Direction::outbound) {
    for (const auto& recipient : event.recipients) {
      if (owned(config, recipient)) event.to = recipient;
    }
  }
  event.text = text_at(message, {"text"});
  if (event.text.empty()) event.text = text_at(message, {"body"});
  // The type says what happened (message.delivered, message.failed, …); the object's own
  // status field lags behind it in the documented samples.
  event.status = std::string(type.substr(8));
  event.error_code = text_at(message, {"errorCode"});
  if (event.error_code.empty()) event.error_code = text_at(message, {"error", "code"});
}

}  // namespace

void fill_openphone_event(const json::object& root, const Config& config, Event& event) {
  const auto provider_type = text_at(root, {"type"});
  event.occurred_at = text_at(root, {"createdAt"});
  const auto type = known_type(provider_type);
  if (type.empty()) {
    event.kind = EventKind::platform;
    event.type = "platform." + (provider_type.empty() ? std::string("event") : provider_type);
    return;
  }
  // data.object until the 2026-03-30 generation, data.resource (and data.context) since.
  const auto* legacy = object_at(root, {"data", "object"});
  const auto& object = object_or_empty(legacy ? legacy : object_at(root, {"data", "resource"}));
  const auto& context = object_or_empty(object_at(root, {"data", "context"}));
  event.type = std::string(type);
  event.direction = direction(text_at(object, {"direction"}));
  if (type.rfind("message.", 0) == 0) {
    fill_message(object, context, type, config, event);
    return;
  }
  event.kind = EventKind::call;
  const auto call_id = text_at(object, {"callId"});
  event.call_id = call_id.empty() ? text_at(object, {"id"}) : call_id;
  event.answered_at = text_at(object, {"answeredAt"});
  event.status = text_at(object, {"status"});
  if (type == "call.recording.completed" || type == "call.voicemail.completed") attach_media(object, event);
  if (type == "call.transcript.completed") event.text = lines_of(at(object, {"dialogue"}), "content");
  if (type == "call.summary.completed") event.text = lines_of(at(object, {"summary"}), "text");
  assign_call_numbers(object, context, config, event);
}

}  // namespace frontdesk::normalize
