// The verified inbox: every accepted event once, deduplicated on (source, provider event id).
#include <algorithm>
#include <limits>
#include <array>
#include <boost/json.hpp>

#include "../../sql_batch.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

constexpr std::string_view event_columns =
    "event_id, source, provider, provider_event_id, kind, type, tenant, occurred_at, received_at, call_id, "
    "message_id, from_number, to_number, direction, text, stir_attestation, stir_verified, payload, status, "
    "error_code, recipients, media_url, duration_s";

std::vector<SqlValue> event_values(const Event& e) {
  return {e.event_id, e.source,      e.provider,  e.provider_event_id, std::string(kind_name(e.kind)),
          e.type,     e.tenant,      e.occurred_at, e.received_at,     e.call_id,
          e.message_id, e.from,      e.to,        std::string(direction_name(e.direction)),         e.text,
          e.stir_attestation, e.stir_verified, e.payload, e.status, e.error_code, json::serialize(recipients_to_json(e.recipients)),
          e.media_url, e.duration_s ? SqlValue{*e.duration_s} : SqlValue{}};
}

Event event_from_row(const SqlRows& rows, std::size_t row) {
  Event e;
  const auto text = [&](std::string_view column) { return text_of(cell(rows, column, row)); };
  e.event_id = text("event_id");
  e.source = text("source");
  e.provider = text("provider");
  e.provider_event_id = text("provider_event_id");
  e.kind = event_kind_of(text("kind")).value_or(EventKind::platform);
  e.type = text("type");
  e.tenant = text("tenant");
  e.occurred_at = text("occurred_at");
  e.received_at = text("received_at");
  e.call_id = text("call_id");
  e.message_id = text("message_id");
  e.from = text("from_number");
  e.to = text("to_number");
  e.direction = direction_of(text("direction"));
  e.text = text("text");
  e.stir_attestation = text("stir_attestation");
  e.stir_verified = text("stir_verified");
  e.payload = text("payload");
  e.status = text("status");
  e.error_code = text("error_code");
  e.media_url = text("media_url");
  if (const auto& seconds = cell(rows, "duration_s", row); std::holds_alternative<std::int64_t>(seconds)) {
    e.duration_s = int_of(seconds);
  }
  if (const auto numbers = json_of(cell(rows, "recipients", row)); numbers.is_array()) {
    for (const auto& number : numbers.get_array()) {
      if (number.is_string()) e.recipients.emplace_back(number.get_string());
    }
  }
  return e;
}

// A verified delivery of a platform source (GitHub, Stripe, a Standard Webhooks sender)
// goes on to the endpoints as webhook.received, with its payload as JSON.
bool relayed(const Config& config, const Event& event) {
  const auto source = config.sources.find(event.source);
  if (source == config.sources.end()) return false;
  const auto kind = source->second.kind;
  return kind == SourceKind::github || kind == SourceKind::stripe || kind == SourceKind::standard;
}

std::vector<FanoutEvent> platform_events(std::string_view tenant, const Event& event) {
  json::error_code ec;
  auto payload = json::parse(event.payload, ec);
  if (ec) payload = json::value(event.payload);
  json::object data{{"source", event.source},     {"provider", event.provider}, {"type", event.type},
                    {"event_id", event.provider_event_id}, {"frontdesk_event_id", event.event_id},
                    {"payload", std::move(payload)}};
  std::vector<FanoutEvent> events;
  events.push_back(fanout_event(tenant, "webhook.received", event.source + "\n" + event.provider_event_id, std::move(data)));
  return events;
}

Task<Result<Recorded>> record(ObjectContext& context, const Event& event) {
  auto& fx = context.fx;
  const auto& config = context.app.settings();
  FRONTDESK_CO_TRY(const auto found, co_await fx.sql(find_event(event)));
  const auto recorded = recorded_in(event, found);
  if (recorded.duplicate) co_return recorded;
  FRONTDESK_CO_CHECK(co_await record_event(fx, event));
  // The first delivery of a platform event goes on to the endpoints, when the tenant has any.
  if (relayed(config, event) && fanout_wanted(found, context)) {
    FRONTDESK_CO_TRY(const auto now, received_ms(event));
    FRONTDESK_CO_CHECK(co_await fan_out(context, platform_events(context.id, event), now));
  }
  co_return recorded;
}

}  // namespace

SqlExec find_event(const Event& event) {
  return {"SELECT (SELECT event_id FROM events WHERE source = ? AND provider_event_id = ?) AS event_id, "
          "EXISTS (SELECT 1 FROM endpoints) AS fanout",
          {event.source, event.provider_event_id}};
}

bool fanout_wanted(const SqlRows& found_before, const ObjectContext& context) {
  return context.listening || int_of(cell(found_before, "fanout")) != 0;
}

SqlExec insert_event(const Event& event) {
  return {"INSERT INTO events (" + std::string(event_columns) +
              ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (source, provider_event_id) DO NOTHING",
          event_values(event)};
}

Task<Result<void>> record_event(Fx& fx, const Event& event) {
  FRONTDESK_CO_CHECK(co_await fx.sql(insert_event(event)));
  co_return Result<void>{};
}

Recorded recorded_in(const Event& event, const SqlRows& found_before) {
  if (const auto stored = optional_text(cell(found_before, "event_id"))) return {*stored, true};
  return {event.event_id, false};
}

Result<std::int64_t> received_ms(const Event& event) {
  const auto us = unix_us_from_rfc3339(event.received_at);
  if (!us) return make_error(ErrorCode::malformed_body, "the event needs received_at");
  return *us / 1000;
}

Task<Received> receive(ObjectContext& context, const protocol::Receive::Request& request) {
  const auto& event = request.event;
  if (event.event_id.empty() || event.source.empty() || event.provider_event_id.empty()) {
    co_return make_error(ErrorCode::malformed_body, "an event needs event_id, source and provider_event_id");
  }
  if (event.kind == EventKind::call && !event.call_id.empty()) co_return co_await receive_call(context, event);
  if (event.kind == EventKind::message && event.type == "message.received" && event.direction != Direction::outbound) {
    co_return co_await receive_text(context, event);
  }
  if (event.kind == EventKind::message && event.type != "message.received") {
    co_return co_await receive_status(context, event);
  }
  FRONTDESK_CO_TRY(auto recorded, co_await record(context, event));
  co_return protocol::Receive::Reply{recorded.event_id, recorded.duplicate, std::nullopt};
}

// Newest first; `before_seq` continues a listing; `source`, `type`, `since` and `until` filter.
Task<Result<protocol::EventList::Reply>> list_events(ObjectContext& context, const protocol::EventList::Request& request) {
  const auto [limit, before] = listing_of(protocol::PageRequest{request.limit, request.before_seq});
  Filtered query{"SELECT " + std::string(event_columns) + ", seq FROM events WHERE seq < ?", {SqlValue{before}}};
  // RFC 3339 UTC texts sort as their times do.
  query.where(" AND source = ?", request.source);
  query.where(" AND type = ?", request.type);
  query.where(" AND received_at >= ?", request.since);
  query.where(" AND received_at < ?", request.until);
  query.sql += " ORDER BY seq DESC LIMIT ?";
  query.params.emplace_back(limit + 1);
  FRONTDESK_CO_TRY(auto rows, co_await context.fx.sql(std::move(query.sql), std::move(query.params)));
  co_return page_of(&protocol::EventPage::events, rows, limit, event_from_row);
}

}  // namespace frontdesk::objects::ledger
