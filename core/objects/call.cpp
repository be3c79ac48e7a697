#include "call.hpp"

#include <boost/json.hpp>

#include "../encoding.hpp"
#include "../event.hpp"
#include "../reception/call_state.hpp"
#include "../time.hpp"

namespace frontdesk::objects {
namespace json = boost::json;
namespace {

constexpr std::string_view storage_key = "call";

struct StoredCall {
  std::string id;  // Frontdesk's own id for the call
  reception::CallRecord record;
};

Task<Result<std::optional<StoredCall>>> load(Fx& fx) {
  auto stored = co_await fx.storage_get(std::string(storage_key));
  if (!stored) co_return stored.error();
  if (!*stored) co_return std::optional<StoredCall>{};
  json::error_code ec;
  const auto parsed = json::parse(**stored, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* id = object ? object->if_contains("id") : nullptr;
  const auto* record = object ? object->if_contains("record") : nullptr;
  if (!id || !id->is_string() || !record || !record->is_object()) {
    co_return make_error(ErrorCode::internal, "the stored call is not one this version wrote");
  }
  auto call = reception::call_from_json(record->get_object());
  if (!call) co_return call.error();
  co_return std::optional<StoredCall>{StoredCall{std::string(id->get_string()), std::move(*call)}};
}

json::object reply_for(const StoredCall& call) { return {{"id", call.id}, {"record", reception::to_json(call.record)}}; }

std::string_view applied_name(reception::ApplyOutcome::Kind kind) {
  switch (kind) {
    case reception::ApplyOutcome::Kind::recorded:
      return "recorded";
    case reception::ApplyOutcome::Kind::duplicate:
      return "duplicate";
    case reception::ApplyOutcome::Kind::ignored:
      return "ignored";
  }
  return "ignored";
}

Task<ObjectReply> apply_event(Fx& fx, const json::object& message) {
  const auto* event_json = message.if_contains("event");
  if (!event_json || !event_json->is_object()) co_return make_error(ErrorCode::malformed_body, "apply needs an event");
  const Event event = event_from_json(event_json->get_object());
  auto loaded = co_await load(fx);
  if (!loaded) co_return loaded.error();
  StoredCall call;
  if (*loaded) {
    call = std::move(**loaded);
  } else {
    auto random = co_await fx.random(10);
    if (!random) co_return random.error();
    call.id = "call_" + hex_encode(*random);
  }
  const auto outcome = reception::apply(call.record, event);
  bool changed = outcome.changed();
  const auto* decision = message.if_contains("decision");
  if (decision && decision->is_object() && call.record.decision.empty() && !call.record.call_id.empty()) {
    call.record.decision = json::serialize(*decision);
    changed = true;
    const auto* outcome_name = decision->get_object().if_contains("outcome");
    const bool refused = outcome_name && outcome_name->is_string() &&
                         (outcome_name->get_string() == "blocked" || outcome_name->get_string() == "rejected");
    if (refused) {
      auto now = co_await fx.now();
      if (!now) co_return now.error();
      reception::mark_rejected(call.record, rfc3339_from_ms(*now));
    }
  }
  if (changed) {
    auto saved = co_await fx.storage_put(std::string(storage_key), json::serialize(reply_for(call)));
    if (!saved) co_return saved.error();
  }
  auto reply = reply_for(call);
  reply["applied"] = applied_name(outcome.kind);
  co_return json::serialize(reply);
}

}  // namespace

Task<ObjectReply> call_object_call(ObjectContext& context, std::string_view message) {
  json::error_code ec;
  const auto parsed = json::parse(message, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* op = object ? object->if_contains("op") : nullptr;
  if (!op || !op->is_string()) co_return make_error(ErrorCode::malformed_body, "call messages need an op");
  if (op->get_string() == "apply") co_return co_await apply_event(context.fx, *object);
  if (op->get_string() == "get") {
    auto loaded = co_await load(context.fx);
    if (!loaded) co_return loaded.error();
    if (!*loaded) co_return make_error(ErrorCode::not_found, "no such call");
    co_return json::serialize(reply_for(**loaded));
  }
  co_return make_error(ErrorCode::malformed_body, "unknown call op");
}

}  // namespace frontdesk::objects
