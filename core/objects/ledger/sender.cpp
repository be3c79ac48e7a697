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
#include "ledger.hpp"

namespace frontdesk::objects {
namespace json = boost::json;
namespace {

struct Leased {
  std::string command_id;
  std::string provider;
  std::string auth;  // "bearer"; "plain": OpenPhone's key goes without Bearer; "basic": Twilio's
  FetchRequest request;
};

Result<std::vector<Leased>> leased_in(const json::object& fields) {
  const auto* commands = fields.if_contains("commands");
  if (!commands || !commands->is_array()) return make_error(ErrorCode::internal, "the ledger leased nothing readable");
  std::vector<Leased> leased;
  for (const auto& item : commands->get_array()) {
    const auto* command = item.if_object();
    if (!command) return make_error(ErrorCode::internal, "a leased command is not an object");
    Leased entry{field_text(*command, "command_id"), field_text(*command, "provider"), field_text(*command, "auth"), {}};
    entry.request.method = field_text(*command, "method");
    entry.request.url = field_text(*command, "url");
    entry.request.body = field_text(*command, "body");
    const auto content_type = field_text(*command, "content_type");
    entry.request.headers.add("content-type", content_type.empty() ? "application/json" : content_type);
    entry.request.headers.add("accept", "application/json");
    leased.push_back(std::move(entry));
  }
  return leased;
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

json::object result_of(const std::string& command_id, const Result<FetchResponse>& response) {
  json::object result{{"command_id", command_id}, {"sent", true}, {"status", nullptr}, {"error", ""},
                      {"retry_after_ms", nullptr}, {"provider_id", ""}};
  if (!response) {
    result["error"] = response.error().message;
    return result;
  }
  result["status"] = response->status;
  if (response->status < 200 || response->status >= 300) {
    std::string error = "HTTP " + std::to_string(response->status);
    if (!response->body.empty()) error.append(": ").append(response->body.substr(0, 200));
    result["error"] = std::move(error);
  }
  if (const auto after = retry_after_ms(*response)) result["retry_after_ms"] = *after;
  if (response->status >= 200 && response->status < 300) result["provider_id"] = provider_id_in(*response);
  return result;
}

std::string authorization(std::string_view auth, const ProviderConfig& provider) {
  if (auth == "plain") return provider.api_key;
  if (auth == "basic") return "Basic " + base64_encode(provider.account_sid + ":" + provider.api_key);
  return "Bearer " + provider.api_key;
}

Task<Result<FetchResponse>> send(Fx& fx, FetchRequest request) { co_return co_await fx.fetch(std::move(request)); }

Task<Result<FetchResponse>> unsendable(std::string why) { co_return make_error(ErrorCode::internal, std::move(why)); }

// A fan-out delivery the ledger leased: signed here, at the moment it goes.
struct LeasedDelivery {
  std::string id;
  std::string url;
  std::vector<std::string> secrets;
  std::string body;
};

Result<std::vector<LeasedDelivery>> deliveries_in(const json::object& reply) {
  std::vector<LeasedDelivery> leased;
  const auto* deliveries = reply.if_contains("deliveries");
  if (!deliveries) return leased;
  if (!deliveries->is_array()) return make_error(ErrorCode::internal, "the ledger leased unreadable deliveries");
  for (const auto& item : deliveries->get_array()) {
    const auto* delivery = item.if_object();
    const auto* secrets = delivery ? delivery->if_contains("secrets") : nullptr;
    if (!secrets || !secrets->is_array()) return make_error(ErrorCode::internal, "a leased delivery has no secrets");
    LeasedDelivery entry{field_text(*delivery, "id"), field_text(*delivery, "url"), {}, field_text(*delivery, "body")};
    for (const auto& secret : secrets->get_array()) {
      if (secret.is_string()) entry.secrets.emplace_back(secret.get_string());
    }
    leased.push_back(std::move(entry));
  }
  return leased;
}

// One attempt: the signed POST, and how long the endpoint took to answer.
Task<json::object> deliver(Fx& fx, LeasedDelivery delivery, std::int64_t now_ms, bool public_only) {
  json::object result{{"id", delivery.id}, {"status", nullptr}, {"error", ""}, {"duration_ms", 0}};
  auto signature = fanout::signature_header(delivery.secrets, delivery.id, now_ms / 1000, delivery.body);
  if (!signature) {
    result["error"] = signature.error().message;
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
    if (auto failed_at = co_await fx.now()) result["duration_ms"] = std::max<std::int64_t>(0, *failed_at - now_ms);
    result["error"] = response.error().message;
    co_return result;
  }
  // Measured by the host: every host sets it.
  result["duration_ms"] = response->elapsed_ms.value_or(0);
  result["status"] = response->status;
  if (response->status < 200 || response->status >= 300) result["error"] = "HTTP " + std::to_string(response->status);
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

struct Round {
  json::array results;
  json::array deliveries;
  std::size_t sent = 0;
};

// Sends what a lease handed out, all at once; the answers as settle takes them.
Task<Result<Round>> send_round(ObjectContext& context, const json::object& lease) {
  auto& fx = context.fx;
  auto leased = leased_in(lease);
  if (!leased) co_return leased.error();
  auto deliveries = deliveries_in(lease);
  if (!deliveries) co_return deliveries.error();
  Round round;
  round.sent = leased->size() + deliveries->size();
  if (round.sent == 0) co_return round;
  const auto now_ms = field_int(lease, "now_ms").value_or(0);
  std::vector<Task<json::object>> fanned_out;
  // A name that resolves to a private address is refused when it is sent to, not only when
  // the endpoint is made: names change what they point at.
  const bool public_only = !context.app.settings().fanout.allow_private;
  for (auto& delivery : *deliveries) fanned_out.push_back(deliver(fx, std::move(delivery), now_ms, public_only));

  const auto& providers = context.app.settings().providers;
  std::vector<Task<Result<FetchResponse>>> sends;
  std::vector<bool> sent;
  for (auto& command : *leased) {
    const auto provider = providers.find(command.provider);
    if (provider == providers.end() || !provider->second.problem.empty()) {
      sends.push_back(unsendable("provider " + command.provider + " is not configured"));
      sent.push_back(false);
      continue;
    }
    // The key is added here, never stored.
    command.request.headers.add("authorization", authorization(command.auth, provider->second));
    sends.push_back(send(fx, std::move(command.request)));
    sent.push_back(true);
  }
  auto [responses, delivered] = co_await when_all(when_all(std::move(sends)), when_all(std::move(fanned_out)));
  for (std::size_t i = 0; i < responses.size(); ++i) {
    auto result = result_of((*leased)[i].command_id, responses[i]);
    result["sent"] = static_cast<bool>(sent[i]);
    round.results.push_back(std::move(result));
  }
  for (auto& result : delivered) round.deliveries.push_back(std::move(result));
  co_return round;
}

Result<json::object> reply_object(const Result<std::string>& reply) {
  if (!reply) return reply.error();
  json::error_code ec;
  auto parsed = json::parse(*reply, ec);
  if (ec || !parsed.is_object()) return make_error(ErrorCode::internal, "the ledger leased nothing readable");
  return std::move(parsed.get_object());
}

}  // namespace

Task<ObjectReply> ledger_alarm(ObjectContext& context) {
  auto& fx = context.fx;
  const std::string ledger{context.id};
  auto lease = reply_object(co_await fx.object_call(std::string(ledger_kind), ledger, R"({"op":"lease"})"));
  std::size_t sent = 0;
  std::int64_t settled = 0;
  while (true) {
    if (!lease) co_return lease.error();
    auto round = co_await send_round(context, *lease);
    if (!round) co_return round.error();
    if (round->sent == 0) break;
    sent += round->sent;
    json::object settle{{"op", "settle"}, {"results", std::move(round->results)}, {"deliveries", std::move(round->deliveries)}};
    const bool again = sent + round_at_most <= run_at_most;
    if (again) settle["lease"] = true;
    lease = reply_object(co_await fx.object_call(std::string(ledger_kind), ledger, json::serialize(settle)));
    if (!lease) co_return lease.error();
    settled += field_int(*lease, "settled").value_or(0);
    if (!again) break;
  }
  co_return json::serialize(json::object{{"sent", sent}, {"settled", settled}});
}

}  // namespace frontdesk::objects
