// The ledger's alarm: sends the outbound queue outside the ledger's turn. It is a session of
// its own (no storage, no transaction): it leases what is due, sends it all at once with the
// provider's key added, and settles every answer with the ledger. A provider that hangs
// holds this session, never the ledger.
#include <boost/json.hpp>

#include <algorithm>

#include "../../encoding.hpp"
#include "../../fanout/catalog.hpp"
#include "../../fanout/signature.hpp"
#include "../../json.hpp"
#include "client.hpp"
#include "ledger.hpp"
#include "protocol.hpp"

namespace frontdesk::objects {
namespace json = boost::json;
namespace {

// A leased command as it goes: the request, with the provider's key added.
FetchRequest request_of(const protocol::LeasedCommand& command) {
  FetchRequest request;
  request.method = command.method;
  request.url = command.url;
  request.body = command.body;
  request.headers.add("content-type", command.content_type.empty() ? "application/json" : command.content_type);
  request.headers.add("accept", "application/json");
  return request;
}

// Retry-After in seconds (the HTTP-date form is not used by these providers).
std::optional<std::int64_t> retry_after_ms(const FetchResponse& response) {
  const auto value = response.headers.get("retry-after");
  if (!value || value->empty() || value->size() > 6) return std::nullopt;
  std::int64_t seconds = 0;
  for (const char c : *value) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return seconds * 1000;
}

// What the provider calls what it accepted: Telnyx and OpenPhone answer {"data":{"id"}},
// Twilio {"sid"}. "" when the answer names nothing.
std::string provider_id_in(const FetchResponse& response) {
  json::error_code ec;
  const auto parsed = json::parse(response.body, ec);
  const auto* body = ec ? nullptr : parsed.if_object();
  if (!body) return {};
  if (const auto* data = body->if_contains("data"); data && data->is_object()) {
    if (auto id = field_text(data->get_object(), "id"); !id.empty()) return id;
  }
  return field_text(*body, "sid");
}

protocol::CommandResult result_of(const std::string& command_id, bool sent, const Result<FetchResponse>& response) {
  protocol::CommandResult result{command_id, sent, std::nullopt, "", std::nullopt, ""};
  if (!response) {
    result.error = response.error().message;
    return result;
  }
  result.status = response->status;
  if (response->status < 200 || response->status >= 300) {
    result.error = "HTTP " + std::to_string(response->status);
    if (!response->body.empty()) result.error.append(": ").append(response->body.substr(0, 200));
  }
  result.retry_after_ms = retry_after_ms(*response);
  if (response->status >= 200 && response->status < 300) result.provider_id = provider_id_in(*response);
  return result;
}

std::string authorization(std::string_view auth, const ProviderConfig& provider) {
  if (auth == "plain") return provider.api_key;
  if (auth == "basic") return "Basic " + base64_encode(provider.account_sid + ":" + provider.api_key);
  return "Bearer " + provider.api_key;
}

Task<Result<FetchResponse>> send(Fx& fx, FetchRequest request) { co_return co_await fx.fetch(std::move(request)); }

Task<Result<FetchResponse>> unsendable(std::string why) { co_return make_error(ErrorCode::internal, std::move(why)); }

// One attempt: the signed POST, and how long the endpoint took to answer.
// A fan-out delivery the ledger leased is signed here, at the moment it goes.
Task<protocol::DeliveryResult> deliver(Fx& fx, protocol::LeasedDelivery delivery, std::int64_t now_ms,
                                       bool public_only) {
  protocol::DeliveryResult result{delivery.id, std::nullopt, "", 0};
  auto signature = fanout::signature_header(delivery.secrets, delivery.id, now_ms / 1000, delivery.body);
  if (!signature) {
    result.error = signature.error().message;
    co_return result;
  }
  FetchRequest request;
  request.method = "POST";
  request.url = delivery.url;
  request.body = std::move(delivery.body);
  request.headers.add("content-type", "application/json");
  request.headers.add("user-agent", "Frontdesk-Webhooks/1");
  request.headers.add("webhook-id", delivery.id);
  request.headers.add("webhook-timestamp", std::to_string(now_ms / 1000));
  request.headers.add("webhook-signature", *signature);
  request.timeout_ms = fanout::delivery_timeout_ms;
  request.public_only = public_only;
  auto response = co_await fx.fetch(std::move(request));
  if (!response) {
    // No answer: how long it was waited for, as near as this session can tell.
    if (auto failed_at = co_await fx.now()) result.duration_ms = std::max<std::int64_t>(0, *failed_at - now_ms);
    result.error = response.error().message;
    co_return result;
  }
  // Measured by the host: every host sets it.
  result.duration_ms = response->elapsed_ms.value_or(0);
  result.status = response->status;
  if (response->status < 200 || response->status >= 300) result.error = "HTTP " + std::to_string(response->status);
  co_return result;
}

}  // namespace

namespace {

// What one round may send: a lease hands out at most 10 commands (outbound.cpp) and 20
// deliveries (fanout.cpp).
constexpr std::size_t round_at_most = 30;
// What one run may send in all: a Worker on the free plan may make 50 subrequests per
// invocation. Under load a run goes on round after round up to it, each round's settle
// leasing the next, instead of one alarm (and a lease call) per round.
constexpr std::size_t run_at_most = 50;

// What one round sent, as settle takes it.
struct Round {
  std::vector<protocol::CommandResult> results;
  std::vector<protocol::DeliveryResult> deliveries;
  std::size_t sent = 0;
};

// Sends what a lease handed out, all at once.
Task<Round> send_round(ObjectContext& context, protocol::Lease::Reply lease) {
  auto& fx = context.fx;
  Round round;
  round.sent = lease.commands.size() + lease.deliveries.size();
  if (round.sent == 0) co_return round;
  std::vector<Task<protocol::DeliveryResult>> fanned_out;
  // A name that resolves to a private address is refused when it is sent to, not only when
  // the endpoint is made: names change what they point at.
  const bool public_only = !context.app.settings().fanout.allow_private;
  for (auto& delivery : lease.deliveries) {
    fanned_out.push_back(deliver(fx, std::move(delivery), lease.now_ms, public_only));
  }

  const auto& providers = context.app.settings().providers;
  std::vector<Task<Result<FetchResponse>>> sends;
  std::vector<bool> sent;
  for (const auto& command : lease.commands) {
    const auto provider = providers.find(command.provider);
    if (provider == providers.end() || !provider->second.problem.empty()) {
      sends.push_back(unsendable("provider " + command.provider + " is not configured"));
      sent.push_back(false);
      continue;
    }
    auto request = request_of(command);
    // The key is added here, never stored.
    request.headers.add("authorization", authorization(command.auth, provider->second));
    sends.push_back(send(fx, std::move(request)));
    sent.push_back(true);
  }
  auto [responses, delivered] = co_await when_all(when_all(std::move(sends)), when_all(std::move(fanned_out)));
  for (std::size_t i = 0; i < responses.size(); ++i) {
    round.results.push_back(result_of(lease.commands[i].command_id, sent[i], responses[i]));
  }
  round.deliveries = std::move(delivered);
  co_return round;
}

// A settle that leased the next batch, as that batch.
protocol::Lease::Reply next_lease(protocol::Settle::Reply& settled) {
  return {settled.commands.value_or(std::vector<protocol::LeasedCommand>{}),
          settled.deliveries.value_or(std::vector<protocol::LeasedDelivery>{}), settled.now_ms.value_or(0)};
}

}  // namespace

Task<ObjectReply> ledger_alarm(ObjectContext& context) {
  LedgerClient ledger(context.fx, std::string(context.id));
  const protocol::Lease::Request nothing_more;
  FRONTDESK_CO_TRY(auto lease, co_await ledger.call<protocol::Lease>(nothing_more));
  std::size_t sent = 0;
  std::int64_t settled = 0;
  auto next = std::move(lease);
  while (true) {
    auto round = co_await send_round(context, std::move(next));
    if (round.sent == 0) break;
    sent += round.sent;
    const bool again = sent + round_at_most <= run_at_most;
    const protocol::Settle::Request settle{std::move(round.results), std::move(round.deliveries),
                                           again ? std::optional{true} : std::nullopt};
    FRONTDESK_CO_TRY(auto answer, co_await ledger.call<protocol::Settle>(settle));
    settled += answer.settled;
    if (!again) break;
    next = next_lease(answer);
  }
  co_return json::serialize(json::object{{"sent", sent}, {"settled", settled}});
}

}  // namespace frontdesk::objects
