#include "webhooks.hpp"

#include <boost/json.hpp>

#include "../clock_and_random.hpp"
#include "../json.hpp"
#include "../normalize/normalize.hpp"
#include "../reception/commands.hpp"
#include "../objects/ledger/client.hpp"
#include "../objects/ledger/protocol.hpp"
#include "../tenants.hpp"
#include "../time_ordered_id.hpp"
#include "../verify/verify.hpp"

namespace frontdesk::routes {
namespace json = boost::json;
namespace {

// An event id is 24 hex digits, as it always was: 12 of its time (time_ordered_id.hpp), 12
// random. Two events of one tenant in the same millisecond collide once in 2^48; the ledger's
// unique index refuses the second, which is then answered 503 and retried by its provider.
constexpr std::size_t event_id_bytes = 6;

using Received = objects::protocol::Receive::Reply;

// The event, whole, in one call of its tenant's ledger: recorded, and for a call or a text
// screened, decided, acted on and answered there.
Task<Result<Received>> receive(Fx& fx, const Event& event) {
  objects::LedgerClient ledger(fx, event.tenant);
  const objects::protocol::Receive::Request request{event};
  co_return co_await ledger.call<objects::protocol::Receive>(request);
}

// Twilio's webhooks expect TwiML back: the decision or auto-reply when there is one, else
// an empty <Response/>, which acknowledges without acting. Its JSON (Event Streams) and
// every other source get JSON.
Response acknowledge(const SourceConfig& source, const Request& request, const Received& received) {
  const bool form = verify::media_type(request.headers.get("content-type").value_or("")) ==
                    "application/x-www-form-urlencoded";
  if (source.kind == SourceKind::twilio && form) {
    Response response;
    response.headers.add("content-type", "text/xml");
    response.body = received.twiml.value_or(reception::twiml_empty());
    return response;
  }
  return json_response(200,
                       json::object{{"ok", true}, {"event_id", received.event_id}, {"duplicate", received.duplicate}});
}

// What the request log learns of a delivery beside its status.
struct DeliveryFacts {
  std::string tenant;
  std::string event_id;
  std::string outcome;  // verified | duplicate (a refusal's code is in its answer)
};

Task<Response> deliver(RequestContext& context, DeliveryFacts& facts);

}  // namespace

Task<Response> webhook(RequestContext& context) {
  DeliveryFacts facts;
  auto response = co_await deliver(context, facts);
  response.log_fields.emplace_back("source", std::string(context.params.get("source").value_or("")));
  if (!facts.tenant.empty()) response.log_fields.emplace_back("tenant", std::move(facts.tenant));
  if (!facts.event_id.empty()) response.log_fields.emplace_back("event_id", std::move(facts.event_id));
  if (!facts.outcome.empty()) response.log_fields.emplace_back("outcome", std::move(facts.outcome));
  co_return response;
}

namespace {

Task<Response> deliver(RequestContext& context, DeliveryFacts& facts) {
  const auto name = context.params.get("source").value_or("");
  const auto& sources = context.app.settings().sources;
  const auto found = sources.find(name);
  if (found == sources.end()) co_return error_response(ErrorCode::unknown_source, "no source named " + std::string(name));
  const auto& source = found->second;
  if (!source.problem.empty()) {
    co_return error_response(ErrorCode::internal, "source " + source.name + " is not configured: " + source.problem);
  }
  const auto& request = context.request;
  if (request.body.size() > source.max_body_bytes) {
    co_return error_response(ErrorCode::payload_too_large,
                             "the body is longer than " + std::to_string(source.max_body_bytes) + " bytes");
  }

  auto [now, random] = co_await when_all(clock_task(context.fx), random_task(context.fx, event_id_bytes));
  if (!now) co_return error_response(now.error());
  if (!random) co_return error_response(random.error());

  const auto verified = verify::verify_delivery(source, request, *now);
  if (!verified) co_return error_response(verified.error());
  auto events = normalize::normalize_all({context.app.settings(), source, request, *verified, *now});
  if (!events) co_return error_response(events.error());
  // A batch (Twilio Event Streams) needs an id for each of its events.
  if (events->size() > 1) {
    auto more = co_await random_task(context.fx, static_cast<std::uint32_t>(event_id_bytes * events->size()));
    if (!more) co_return error_response(more.error());
    random = std::move(more);
  }
  std::vector<Received> received;
  for (std::size_t i = 0; i < events->size(); ++i) {
    auto& event = (*events)[i];
    event.event_id = time_ordered_id("evt_", *now, random->substr(i * event_id_bytes, event_id_bytes));
    event.tenant = tenant_for(context.app.settings(), event);
    auto one = co_await receive(context.fx, event);
    // Invariant 1: no 2xx without a durable record. Any failure to record is a 503 so the
    // provider retries; the ledger keeps all of an event or none of it, so the retry is
    // handled as a first delivery (and a batch's events recorded before are duplicates).
    if (!one) co_return error_response(ErrorCode::storage_unavailable, "the event could not be recorded");
    if (facts.tenant.empty()) {
      facts.tenant = event.tenant;
      facts.event_id = one->event_id;
      facts.outcome = one->duplicate ? "duplicate" : "verified";
    }
    received.push_back(std::move(*one));
  }
  if (received.size() == 1) co_return acknowledge(source, request, received.front());
  json::array each;
  for (const auto& one : received) each.push_back(json::object{{"event_id", one.event_id}, {"duplicate", one.duplicate}});
  co_return json_response(200, json::object{{"ok", true}, {"events", std::move(each)}});
}

}  // namespace
}  // namespace frontdesk::routes
