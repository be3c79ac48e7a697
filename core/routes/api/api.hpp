#pragma once
// The authenticated JSON API under /api/v1 (docs/api.md): one route table with each
// route's scope, one authentication path, handlers one file per resource.
#include <cstdint>
#include <optional>
#include <string>

#include "../../api/scopes.hpp"
#include "../../dispatch.hpp"

namespace frontdesk::routes::api {

// Who is asking, after authentication.
struct Principal {
  std::string tenant;
  std::string token_id;
  frontdesk::api::Scopes scopes;  // what this request may do (a platform user's role's)
  std::optional<std::int64_t> expires_at_ms;
  bool bootstrap = false;  // the FRONTDESK_BOOTSTRAP_TOKEN secret: may only mint tokens
  std::string actor;       // who did it, for the audit chain: the token, or the platform user via it
};

struct ApiContext {
  const App& app;
  const Request& request;
  RouteParams params;
  Fx& fx;
  Principal principal;
};

using ApiHandler = Task<Response> (*)(ApiContext&);

// An empty scope: any valid token; "public": no token at all.
struct Endpoint {
  std::string_view scope;
  ApiHandler handler;
};

inline constexpr std::string_view api_prefix = "/api/v1/";
inline constexpr std::string_view public_scope = "public";

// Every /api/v1 request: route, authenticate, rate-limit, check the scope, answer.
Task<Response> handle_api(const App& app, const Request& request, Fx& fx);

// --- handlers (one file per resource) ---
Task<Response> openapi_document(ApiContext& context);
Task<Response> list_calls(ApiContext& context);
Task<Response> get_call(ApiContext& context);
Task<Response> place_call(ApiContext& context);
Task<Response> list_messages(ApiContext& context);
Task<Response> get_message(ApiContext& context);
Task<Response> send_message(ApiContext& context);
Task<Response> get_registry(ApiContext& context);
Task<Response> put_registry(ApiContext& context);
Task<Response> delete_registry(ApiContext& context);
Task<Response> get_list_entry(ApiContext& context);
Task<Response> put_list_entry(ApiContext& context);
Task<Response> delete_list_entry(ApiContext& context);
Task<Response> get_identity(ApiContext& context);
Task<Response> list_events(ApiContext& context);
Task<Response> list_outbound(ApiContext& context);
Task<Response> retry_outbound(ApiContext& context);
Task<Response> get_stats(ApiContext& context);
Task<Response> get_metrics(ApiContext& context);
Task<Response> create_live_ticket(ApiContext& context);
Task<Response> list_registry(ApiContext& context);
Task<Response> list_entries(ApiContext& context);
Task<Response> list_audit(ApiContext& context);
Task<Response> verify_audit(ApiContext& context);
Task<Response> create_token(ApiContext& context);
Task<Response> list_tokens(ApiContext& context);
Task<Response> get_token(ApiContext& context);
Task<Response> revoke_token(ApiContext& context);
Task<Response> delegate_token(ApiContext& context);
Task<Response> create_endpoint(ApiContext& context);
Task<Response> list_endpoints(ApiContext& context);
Task<Response> get_endpoint(ApiContext& context);
Task<Response> update_endpoint(ApiContext& context);
Task<Response> delete_endpoint(ApiContext& context);
Task<Response> get_endpoint_secret(ApiContext& context);
Task<Response> rotate_endpoint_secret(ApiContext& context);
Task<Response> test_endpoint(ApiContext& context);
Task<Response> replay_endpoint(ApiContext& context);
Task<Response> list_deliveries(ApiContext& context);
Task<Response> retry_delivery(ApiContext& context);

}  // namespace frontdesk::routes::api
