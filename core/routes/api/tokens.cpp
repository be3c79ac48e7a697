// /api/v1/tokens: minting (by an admin token or the bootstrap secret), listing, revoking,
// and delegation, which never widens what the caller may do.
#include <boost/json.hpp>

#include "../../api/tokens.hpp"
#include "../../json.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {
namespace {

constexpr std::int64_t max_lifetime_s = 10LL * 365 * 24 * 3600;

struct TokenRequest {
  std::string name;
  frontdesk::api::Scopes scopes;
  std::optional<std::int64_t> expires_in_s;
  std::optional<std::int64_t> rate_limit;
};

Result<std::optional<std::int64_t>> positive(const json::object& body, std::string_view field, std::int64_t most) {
  const auto* value = body.if_contains(field);
  if (!value || value->is_null()) return std::optional<std::int64_t>{};
  if (!value->is_int64() || value->get_int64() < 1 || value->get_int64() > most) {
    return make_error(ErrorCode::invalid_field,
                      std::string(field) + ": must be an integer from 1 to " + std::to_string(most));
  }
  return std::optional<std::int64_t>{value->get_int64()};
}

Result<TokenRequest> token_request(const json::object& body) {
  TokenRequest request;
  if (const auto* name = body.if_contains("name"); name && !name->is_null()) {
    if (!name->is_string() || name->get_string().size() > 200) {
      return make_error(ErrorCode::invalid_field, "name: must be a string of at most 200 characters");
    }
    request.name = std::string(name->get_string());
  }
  // A list of scopes, or (as OAuth writes them) one string of space-separated scopes.
  const auto* scopes = body.if_contains("scopes");
  json::array listed;
  if (scopes && scopes->is_string()) {
    std::string_view rest = scopes->get_string();
    while (!rest.empty()) {
      const auto end = rest.find_first_of(", ");
      if (end != 0) listed.emplace_back(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
  } else if (scopes && scopes->is_array()) {
    listed = scopes->get_array();
  }
  if (listed.empty()) return make_error(ErrorCode::invalid_field, "scopes: must be a non-empty list of scopes");
  for (const auto& scope : listed) {
    if (!scope.is_string() || !frontdesk::api::known_scope(scope.get_string())) {
      return make_error(ErrorCode::invalid_field, "scopes: unknown scope " + json::serialize(scope));
    }
    request.scopes.insert(std::string(scope.get_string()));
  }
  auto expires = positive(body, "expires_in", max_lifetime_s);
  if (!expires) return expires.error();
  request.expires_in_s = *expires;
  auto rate = positive(body, "rate_limit", 1'000'000);
  if (!rate) return rate.error();
  request.rate_limit = *rate;
  return request;
}

Response token_answer(const ApiContext& context, int status, const Result<objects::protocol::Token>& token) {
  if (!token) return error_response(token.error());
  return json_answer(status, frontdesk::api::token_document(*token, context.principal.tenant));
}

Task<Response> mint(ApiContext& context, const TokenRequest& request, std::optional<std::int64_t> expires_at_ms) {
  const objects::protocol::TokenCreate::Request create{
      request.name, {request.scopes.begin(), request.scopes.end()}, expires_at_ms, request.rate_limit,
      context.principal.actor};
  auto created = co_await ledger_of(context).call<objects::protocol::TokenCreate>(create);
  if (!created) co_return error_response(created.error());
  auto document = frontdesk::api::token_document(created->token, context.principal.tenant);
  document["token"] = created->plaintext;
  co_return json_answer(201, document);
}

}  // namespace

Task<Response> create_token(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto request = token_request(*body);
  if (!request) co_return error_response(request.error());
  if (context.principal.bootstrap) {
    // The bootstrap secret belongs to no tenant: the body names one, unless there is only one.
    const auto& tenants = context.app.settings().tenants;
    auto tenant = body_text(*body, "tenant").value_or("");
    if (tenant.empty() && tenants.size() == 1) tenant = tenants.begin()->first;
    if (tenants.count(tenant) == 0) {
      co_return error_response(ErrorCode::invalid_field, "tenant: must name a configured tenant");
    }
    context.principal.tenant = tenant;
  }
  std::optional<std::int64_t> expires_at_ms;
  if (request->expires_in_s) {
    auto now = co_await context.fx.now();
    if (!now) co_return error_response(now.error());
    expires_at_ms = *now + *request->expires_in_s * 1000;
  }
  co_return co_await mint(context, *request, expires_at_ms);
}

// A subset of the caller's scopes (asking for more is 403), living no longer than the caller.
Task<Response> delegate_token(ApiContext& context) {
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto request = token_request(*body);
  if (!request) co_return error_response(request.error());
  for (const auto& scope : request->scopes) {
    if (context.principal.scopes.count(scope) == 0) {
      co_return error_response(ErrorCode::forbidden, "a delegated token cannot hold " + scope +
                                                         ", which the caller does not");
    }
  }
  auto now = co_await context.fx.now();
  if (!now) co_return error_response(now.error());
  std::optional<std::int64_t> expires_at_ms = context.principal.expires_at_ms;
  if (request->expires_in_s) {
    const auto asked = *now + *request->expires_in_s * 1000;
    expires_at_ms = expires_at_ms ? std::min(*expires_at_ms, asked) : asked;
  }
  co_return co_await mint(context, *request, expires_at_ms);
}

Task<Response> list_tokens(ApiContext& context) {
  const auto page = page_of(context.request, "tokens");
  if (!page) co_return error_response(page.error());
  auto tokens = co_await ledger_of(context).call<objects::protocol::TokenList>(page_request(*page));
  if (!tokens) co_return error_response(tokens.error());
  co_return page_response(*tokens, &objects::protocol::TokenPage::tokens, "tokens", [&](const objects::protocol::Token& token) {
    return frontdesk::api::token_document(token, context.principal.tenant);
  });
}

Task<Response> get_token(ApiContext& context) {
  const objects::protocol::TokenGet::Request get{path_param(context, "id")};
  auto token = co_await ledger_of(context).call<objects::protocol::TokenGet>(get);
  co_return token_answer(context, 200, token);
}

Task<Response> revoke_token(ApiContext& context) {
  const objects::protocol::TokenRevoke::Request revoke{path_param(context, "id"), context.principal.actor};
  auto token = co_await ledger_of(context).call<objects::protocol::TokenRevoke>(revoke);
  co_return token_answer(context, 200, token);
}

}  // namespace frontdesk::routes::api
