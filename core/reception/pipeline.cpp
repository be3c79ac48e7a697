#include "pipeline.hpp"

#include <boost/json.hpp>

#include "../json.hpp"
#include "../objects/call.hpp"
#include "../objects/ledger/ledger.hpp"
#include "commands.hpp"
#include "screening.hpp"

namespace frontdesk::reception {
namespace json = boost::json;
namespace {

Task<Result<json::object>> call_object(Fx& fx, std::string_view kind, std::string id, const json::object& message) {
  auto reply = co_await fx.object_call(std::string(kind), std::move(id), json::serialize(message));
  if (!reply) co_return reply.error();
  json::error_code ec;
  auto parsed = json::parse(*reply, ec);
  if (ec || !parsed.is_object()) co_return make_error(ErrorCode::storage_unavailable, "an object gave no answer");
  co_return std::move(parsed.get_object());
}

bool screened_event(const Event& event) {
  return event.direction != "outbound" && (event.type == "call.initiated" || event.type == "call.ringing");
}

Result<Received> received_from(const json::object& ledger_reply) {
  const auto* event_id = ledger_reply.if_contains("event_id");
  const auto* duplicate = ledger_reply.if_contains("duplicate");
  if (!event_id || !event_id->is_string() || !duplicate || !duplicate->is_bool()) {
    return make_error(ErrorCode::storage_unavailable, "the ledger gave no record");
  }
  return Received{std::string(event_id->get_string()), duplicate->get_bool(), std::nullopt};
}

ScreeningInput screening_input(const Event& event, const json::object& facts) {
  ScreeningInput input;
  input.caller = event.from;
  input.attestation = event.stir_attestation;
  input.verified = event.stir_verified;
  input.answered_calls = field_int(facts, "answered_calls").value_or(0);
  input.rejected_calls = field_int(facts, "rejected_calls").value_or(0);
  input.recent_calls = field_int(facts, "recent_calls").value_or(0);
  DirectoryFacts directory;
  if (const auto* name = facts.if_contains("namespace"); name && name->is_string()) {
    directory.registry_namespace = std::string(name->get_string());
  }
  const auto flag = [&](std::string_view field) {
    const auto* value = facts.if_contains(field);
    return value && value->is_bool() && value->get_bool();
  };
  directory.allowlisted = flag("allowlisted");
  directory.blocklisted = flag("blocklisted");
  input.directory = directory;
  return input;
}

const ProviderConfig* telnyx_for(const App& app, const SourceConfig& source) {
  if (source.kind != SourceKind::telnyx) return nullptr;
  const auto found = app.settings().providers.find(source.provider);
  if (found == app.settings().providers.end() || !found->second.problem.empty()) return nullptr;
  return &found->second;
}

Task<Result<Received>> receive_call(const App& app, const SourceConfig& source, const Event& event, Fx& fx) {
  const auto call_key = event.tenant + ":" + source.name + ":" + event.call_id;
  const json::object ingest{{"op", "ingest"}, {"event", event_to_json(event)}, {"call_key", call_key}};
  auto ingested = co_await call_object(fx, objects::ledger_kind, event.tenant, ingest);
  if (!ingested) co_return ingested.error();
  auto received = received_from(*ingested);
  if (!received) co_return received.error();

  // The call needs the event's facts, not its raw body (which the ledger has kept): up to
  // max_body_bytes less to copy, serialize and parse on the way.
  auto facts_only = event_to_json(event);
  facts_only["payload"] = "";
  json::object apply{{"op", "apply"}, {"event", std::move(facts_only)}};
  const auto* facts = ingested->if_contains("screening");
  if (screened_event(event) && facts && facts->is_object()) {
    const auto& policy = tenant_settings(app.settings(), event.tenant).policy;
    apply["decision"] = decision_to_json(screen(screening_input(event, facts->get_object()), policy));
  }
  auto applied = co_await call_object(fx, objects::call_kind, call_key, apply);
  if (!applied) co_return applied.error();
  const auto* record = applied->if_contains("record");
  if (!record || !record->is_object()) co_return make_error(ErrorCode::storage_unavailable, "the call gave no record");

  std::optional<Decision> decision;
  if (const auto stored = field_text(record->get_object(), "decision"); !stored.empty()) {
    json::error_code ec;
    const auto parsed = json::parse(stored, ec);
    if (!ec && parsed.is_object()) decision = decision_from_json(parsed.get_object());
  }
  json::array commands;
  if (const auto* telnyx = telnyx_for(app, source); telnyx && decision) {
    for (const auto& command : telnyx_call_commands(*decision, event.type, event.call_id, call_key, *telnyx)) {
      commands.push_back(command_to_json(command));
    }
  }
  const json::object updated{{"op", "call_updated"},   {"call_key", call_key},  {"call_id", field_text(*applied, "id")},
                             {"source", source.name},  {"provider", event.provider}, {"record", *record},
                             {"commands", commands}};
  auto noted = co_await call_object(fx, objects::ledger_kind, event.tenant, updated);
  if (!noted) co_return noted.error();
  if (source.kind == SourceKind::twilio && decision && screened_event(event)) received->twiml = twiml_for(*decision);
  co_return std::move(*received);
}

}  // namespace

Task<Result<Received>> receive(const App& app, const SourceConfig& source, const Event& event, Fx& fx) {
  if (event.kind == "call" && !event.call_id.empty()) co_return co_await receive_call(app, source, event, fx);
  const json::object ingest{{"op", "ingest"}, {"event", event_to_json(event)}};
  auto ingested = co_await call_object(fx, objects::ledger_kind, event.tenant, ingest);
  if (!ingested) co_return ingested.error();
  auto received = received_from(*ingested);
  if (!received) co_return received.error();
  const auto* twiml = ingested->if_contains("twiml");
  const auto reply = field_text(*ingested, "auto_reply");
  if (twiml && twiml->is_bool() && twiml->get_bool() && !reply.empty()) received->twiml = twiml_message(reply);
  co_return std::move(*received);
}

}  // namespace frontdesk::reception
