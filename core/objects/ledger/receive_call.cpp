// A call event, whole, in one ledger call: dedupe → identity → screening → the call's state
// machine → audit → queued commands → the answer. Two batches of SQL (what is known, then
// what changes, the event itself among them), so a new call costs the ledger three steps; the
// host commits the call's writes together or none of them, and a provider's retry writes
// nothing at all.
#include <boost/json.hpp>

#include "../../clock_and_random.hpp"
#include "../../phone.hpp"
#include "../../reception/call_state.hpp"
#include "../../reception/screening.hpp"
#include "../../reception/text_analysis.hpp"
#include "../../sql_batch.hpp"
#include "../../time.hpp"
#include "../../time_ordered_id.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

// Call ids and identity ids come from one draw of randomness.
constexpr std::uint32_t id_bytes = 10;

// Only the first inbound initiated/ringing of a call is screened (Twilio's voice webhook
// says ringing; OpenPhone starts at call.ringing).
bool screened_event(const Event& event) {
  return event.direction != Direction::outbound && (event.type == "call.initiated" || event.type == "call.ringing");
}

const ProviderConfig* telnyx_provider(const Config& config, const SourceConfig* source) {
  if (!source || source->kind != SourceKind::telnyx) return nullptr;
  const auto found = config.providers.find(source->provider);
  if (found == config.providers.end() || !found->second.problem.empty()) return nullptr;
  return &found->second;
}

// What the ledger already knows, asked for in one batch; each index names its statement.
struct Known {
  enum Index : std::size_t { event = 0, call = 1, caller = 2, audit_head = 3 };
};

SqlExec stored_call(const std::string& call_key) {
  return {"SELECT call_id AS call_id, record AS record FROM calls WHERE call_key = ?", {call_key}};
}

std::optional<std::string> decision_text_of(const reception::CallRecord& record) {
  if (record.decision.empty()) return std::nullopt;
  return record.decision;
}

std::optional<reception::Decision> decision_in(const reception::CallRecord& record) {
  const auto text = decision_text_of(record);
  if (!text) return std::nullopt;
  json::error_code ec;
  const auto parsed = json::parse(*text, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  return reception::decision_from_json(parsed.get_object());
}

protocol::Receive::Reply answer(const std::string& event_id, bool duplicate, std::optional<std::string> twiml) {
  return {event_id, duplicate, std::move(twiml)};
}

// What a call event changed, for the endpoints: its first inbound event, its screening,
// its answer and its end, each once.
struct CallChange {
  std::string_view tenant;
  const std::string& call_id;
  const Event& event;
  const reception::CallRecord& record;
  bool new_call = false;
  const std::string& answered_before;
  const std::string& ended_before;
  const reception::Decision* new_decision = nullptr;
  const std::optional<std::string>& identity_id;
};

std::vector<FanoutEvent> call_events(const CallChange& change) {
  const auto& record = change.record;
  const auto about = [&] {
    return json::object{{"call_id", change.call_id},       {"provider_call_id", record.call_id},
                        {"provider", change.event.provider}, {"source", change.event.source},
                        {"from", record.from},               {"to", record.to},
                        {"direction", record.direction}};
  };
  std::vector<FanoutEvent> events;
  if (change.new_call && record.direction != "outbound") {
    auto data = about();
    data["identity_id"] = change.identity_id ? json::value(*change.identity_id) : json::value(nullptr);
    events.push_back(fanout_event(change.tenant, "call.received", change.call_id, std::move(data)));
  }
  if (change.new_decision) {
    auto data = about();
    const auto decision = reception::decision_to_json(*change.new_decision);
    for (const auto& [key, value] : decision) data[key] = value;
    data["trust_score"] = change.new_decision->trust.score;
    data["factors"] = data.at("trust").at("factors");
    if (!data.contains("namespace")) data["namespace"] = nullptr;
    events.push_back(fanout_event(change.tenant, "call.screened", change.call_id, std::move(data)));
  }
  if (change.answered_before.empty() && !record.answered_at.empty()) {
    auto data = about();
    data["answered_at"] = record.answered_at;
    events.push_back(fanout_event(change.tenant, "call.answered", change.call_id, std::move(data)));
  }
  if (change.ended_before.empty() && !record.ended_at.empty()) {
    auto data = about();
    data["state"] = reception::call_state_name(record.state);
    data["ended_at"] = record.ended_at;
    const auto duration = record.answered_at.empty() ? std::nullopt : seconds_between(record.answered_at, record.ended_at);
    data["duration_s"] = duration ? json::value(*duration) : json::value(nullptr);
    events.push_back(fanout_event(change.tenant, "call.ended", change.call_id, std::move(data)));
  }
  return events;
}

}  // namespace

Task<Received> receive_call(ObjectContext& context, const Event& event) {
  const auto& config = context.app.settings();
  const auto source_entry = config.sources.find(event.source);
  const SourceConfig* source = source_entry == config.sources.end() ? nullptr : &source_entry->second;
  const bool twilio = source && source->kind == SourceKind::twilio;
  FRONTDESK_CO_TRY(const auto now, received_ms(event));
  const auto at = rfc3339_from_ms(now);
  const auto call_key = event.tenant + ":" + event.source + ":" + event.call_id;
  const bool screened = screened_event(event);
  const auto caller = normalize_e164(event.from);
  const auto& policy = tenant_settings(config, context.id).policy;

  std::vector<SqlExec> known{find_event(event), stored_call(call_key)};
  if (screened) {
    known.push_back(caller ? caller_screening_facts(*caller, call_key, now - policy.weights.burst_window_s * 1000)
                           : SqlExec{"SELECT NULL", {}});
    known.push_back(audit_newest_entry());
  }
  auto [facts, random] =
      co_await when_all(sql_batch(context.fx, std::move(known)), random_task(context.fx, 2 * id_bytes));
  FRONTDESK_CO_CHECK(first_failure(facts));
  if (!random) co_return random.error();

  const auto recorded = recorded_in(event, *facts[Known::event]);
  const auto& stored = *facts[Known::call];
  const bool new_call = stored.rows.empty();
  const auto stored_record = [&]() -> Result<reception::CallRecord> {
    const auto document = json_of(cell(stored, "record"));
    const auto* fields = document.if_object();
    if (!fields) return make_error(ErrorCode::internal, "the stored call is not one this version wrote");
    return reception::call_from_json(*fields);
  };
  if (recorded.duplicate) {
    // A provider's retry: answered as the first time, nothing written again. Only Twilio's
    // answer carries the decision, so only then is the stored call read.
    if (!(twilio && screened) || new_call) co_return answer(recorded.event_id, true, std::nullopt);
    FRONTDESK_CO_TRY(auto earlier, stored_record());
    const auto decision = decision_in(earlier);
    const auto twiml = decision ? std::optional{reception::twiml_for(*decision)} : std::nullopt;
    co_return answer(recorded.event_id, true, twiml);
  }
  reception::CallRecord record;
  std::string call_id = time_ordered_id("call_", now, random->substr(0, id_bytes));
  if (!new_call) {
    FRONTDESK_CO_TRY(auto parsed, stored_record());
    record = std::move(parsed);
    call_id = text_of(cell(stored, "call_id"));
  }

  const auto answered_before = record.answered_at;
  const auto ended_before = record.ended_at;
  const auto applied = reception::apply(record, event);
  // A transcript is read as a text is: what the caller wanted and how they sounded.
  if (applied.changed() && record.transcript && record.transcript->provider_event_id == event.provider_event_id &&
      !record.transcript->text.empty()) {
    record.analysis = json::serialize(
        reception::analysis_to_json(reception::analyse_text(record.transcript->text, policy.keywords)));
  }
  std::optional<reception::Decision> new_decision;
  if (screened && record.decision.empty() && !record.call_id.empty()) {
    new_decision = reception::screen(screening_input(event, *facts[Known::caller]), policy);
    record.decision = json::serialize(reception::decision_to_json(*new_decision));
    const auto outcome = new_decision->outcome;
    if (outcome == reception::Outcome::blocked || outcome == reception::Outcome::rejected) {
      reception::mark_rejected(record, at);
    }
  }
  const auto decision = new_decision ? new_decision : decision_in(record);

  std::vector<SqlExec> changes{insert_event(event)};
  if (new_call || applied.changed() || new_decision) {
    changes.push_back(call_row(new_call, CallRow{call_key, call_id, event.source, event.provider, record, at, now,
                                                 new_decision ? &*new_decision : nullptr}));
  }
  // The caller's identity, when this delivery read it (or makes it).
  std::optional<std::string> identity_id;
  if (screened && caller) identity_id = optional_text(cell(*facts[Known::caller], "identity_id"));
  if (new_call) {
    const auto& party = record.direction == "outbound" ? record.to : record.from;
    const auto new_identity = time_ordered_id("idn_", now, random->substr(id_bytes));
    if (auto sighting = identity_sighting(party, at, Sighting::call, new_identity)) {
      changes.push_back(std::move(*sighting));
      if (screened && caller && !identity_id) identity_id = new_identity;
    }
  }
  if (new_decision) {
    json::object body{{"call_id", call_id},      {"provider_call_id", record.call_id}, {"provider", event.provider},
                      {"from", record.from},     {"to", record.to},
                      {"decision", reception::decision_to_json(*new_decision)}};
    FRONTDESK_CO_TRY(auto entry,
                     audit::append(newest_entry_in(*facts[Known::audit_head]),
                                   audit::EntryFields{at, "call.decision", call_id, json::serialize(body)}));
    for (auto& statement : audit_append(entry)) changes.push_back(std::move(statement));
  }
  std::vector<reception::OutboundCommand> commands;
  if (const auto* telnyx = telnyx_provider(config, source); telnyx && decision) {
    commands = reception::telnyx_call_commands(*decision, event.type, event.call_id, call_key, *telnyx);
  }
  auto queued = enqueue_statement(commands, now);
  if (queued) changes.push_back(std::move(*queued));

  const auto events = fanout_wanted(*facts[Known::event], context)
                          ? call_events(CallChange{context.id, call_id, event, record, new_call, answered_before,
                                                   ended_before, new_decision ? &*new_decision : nullptr, identity_id})
                          : std::vector<FanoutEvent>{};
  const auto alarm = queued ? std::optional{now} : std::nullopt;
  FRONTDESK_CO_CHECK(co_await write_changes(context, std::move(changes), alarm, events, now));
  const auto twiml = twilio && decision && screened ? std::optional{reception::twiml_for(*decision)} : std::nullopt;
  co_return answer(recorded.event_id, false, twiml);
}

}  // namespace frontdesk::objects::ledger
