// Authentication, rate limits and scopes for every API request, before its handler runs.
#include <boost/json.hpp>

#include "../../api/tokens.hpp"
#include "../../crypto/primitives.hpp"
#include "../../encoding.hpp"
#include "../../json.hpp"
#include "../../objects/ledger/client.hpp"
#include "../../objects/ledger/protocol.hpp"
#include "support.hpp"
#include "table.hpp"

namespace frontdesk::routes::api {
namespace {

// One answer for every way a token can be wrong, so none gives away which.
Response unauthenticated() { return error_response(ErrorCode::unauthenticated, "a valid API token is required"); }

struct RateLimit {
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t reset_s = 0;
};

void add_rate_headers(Response& response, const RateLimit& rate) {
  response.headers.set("ratelimit-limit", std::to_string(rate.limit));
  response.headers.set("ratelimit-remaining", std::to_string(rate.remaining));
  response.headers.set("ratelimit-reset", std::to_string(rate.reset_s));
}

bool is_bootstrap(const App& app, std::string_view presented) {
  const auto& expected = app.settings().api.bootstrap_sha256_hex;
  if (expected.empty()) return false;
  return crypto::constant_time_equal(frontdesk::api::token_hash(presented), expected);
}

// Platform mode: the X-User-* headers act for a user of the tenant, with their role's
// scopes. From a token without `platform` they are ignored.
void apply_platform_user(const App& app, const Request& request, Principal& principal) {
  if (principal.scopes.count(frontdesk::api::platform_scope) == 0) return;
  const auto role = request.headers.get("x-user-role");
  if (!role) return;
  principal.scopes = frontdesk::api::role_scopes(*role, tenant_settings(app.settings(), principal.tenant).policy);
  std::string actor = "user:" + std::string(request.headers.get("x-user-id").value_or("?"));
  if (const auto org = request.headers.get("x-org-id")) actor.append("@").append(*org);
  actor.append(" via ").append(principal.token_id);
  principal.actor = std::move(actor);
}

}  // namespace

Task<Response> handle_api(const App& app, const Request& request, Fx& fx) {
  const auto lookup = find_route<Endpoint>(api_routes(), request.method, request.path);
  if (!lookup.route) {
    if (lookup.allow.empty()) {
      co_return error_response(ErrorCode::not_found, "No route for " + request.method + " " + request.path);
    }
    auto response = error_response(ErrorCode::method_not_allowed, request.method + " is not allowed on " + request.path);
    response.headers.add("allow", lookup.allow);
    co_return response;
  }
  const auto& endpoint = lookup.route->handler;
  ApiContext context{app, request, lookup.params, fx, {}};
  if (endpoint.scope == public_scope) co_return co_await endpoint.handler(context);

  const auto presented = frontdesk::api::bearer_token(request.headers.get("authorization"));
  if (!presented) co_return unauthenticated();
  if (is_bootstrap(app, *presented)) {
    // The bootstrap secret mints tokens and does nothing else.
    if (endpoint.handler != &create_token) {
      co_return error_response(ErrorCode::forbidden, "the bootstrap secret may only create tokens");
    }
    context.principal.bootstrap = true;
    context.principal.token_id = "bootstrap";
    context.principal.actor = "bootstrap";
    co_return co_await endpoint.handler(context);
  }
  if (!frontdesk::api::well_formed_token(*presented)) co_return unauthenticated();

  const auto hash = frontdesk::api::token_hash(*presented);
  auto pointer = co_await fx.kv_get("token:" + hash);
  if (!pointer) co_return error_response(ErrorCode::storage_unavailable, "tokens cannot be checked right now");
  if (!*pointer) co_return unauthenticated();
  json::error_code ec;
  const auto pointed = json::parse(**pointer, ec);
  const auto* where = ec ? nullptr : pointed.if_object();
  const auto* tenant = where ? where->if_contains("tenant") : nullptr;
  if (!tenant || !tenant->is_string()) co_return unauthenticated();
  context.principal.tenant = std::string(tenant->get_string());

  // Strongly consistent: the ledger says whether the token still holds, and counts it.
  objects::LedgerClient ledger(fx, context.principal.tenant);
  const objects::protocol::Authorize::Request asked{hash};
  auto verdict = co_await ledger.call<objects::protocol::Authorize>(asked);
  if (!verdict) co_return error_response(ErrorCode::storage_unavailable, "tokens cannot be checked right now");
  if (!verdict->ok) co_return unauthenticated();
  if (!verdict->token || !verdict->rate) {
    co_return error_response(ErrorCode::storage_unavailable, "tokens cannot be checked right now");
  }
  const auto& counted = *verdict->rate;
  const RateLimit rate{counted.limit, counted.remaining, counted.reset_s};
  if (!counted.allowed) {
    auto limited = error_response(ErrorCode::rate_limited, "this token made more than " + std::to_string(rate.limit) +
                                                               " requests this minute");
    limited.headers.set("retry-after", std::to_string(std::max<std::int64_t>(rate.reset_s, 1)));
    add_rate_headers(limited, rate);
    co_return limited;
  }

  auto& principal = context.principal;
  principal.token_id = verdict->token->id;
  principal.actor = principal.token_id;
  principal.scopes.insert(verdict->token->scopes.begin(), verdict->token->scopes.end());
  if (verdict->token->expires_at_ms) principal.expires_at_ms = *verdict->token->expires_at_ms;
  apply_platform_user(app, request, principal);

  Response response;
  if (!endpoint.scope.empty() && principal.scopes.count(endpoint.scope) == 0) {
    response = error_response(ErrorCode::forbidden, "this token lacks the scope " + std::string(endpoint.scope));
  } else {
    response = co_await endpoint.handler(context);
  }
  add_rate_headers(response, rate);
  co_return response;
}

}  // namespace frontdesk::routes::api
