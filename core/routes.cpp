// The route table: every HTTP route of Frontdesk, in one place.
#include <array>

#include "dispatch.hpp"
#include "json.hpp"
#include "routes/api/api.hpp"
#include "routes/api/table.hpp"
#include "routes/diagnostics.hpp"
#include "routes/health.hpp"
#include "routes/webhooks.hpp"

namespace frontdesk {
namespace {

constexpr std::array<Route<RouteHandler>, 4> route_table{{
    {"GET", "/health", &routes::health},
    {"POST", "/diagnostics/verify", &routes::diagnostics_verify},
    {"POST", "/diagnostics/objects/{kind}/{id}", &routes::diagnostics_object},
    {"POST", "/webhooks/{source}", &routes::webhook},
}};

}  // namespace

Task<Response> handle_request(const App& app, const Request& request, Fx& fx) {
  if (request.path.rfind(routes::api::api_prefix, 0) == 0) co_return co_await routes::api::handle_api(app, request, fx);
  const auto lookup = find_route<RouteHandler>(route_table, request.method, request.path);
  if (!lookup.route) {
    if (lookup.allow.empty()) {
      co_return error_response(ErrorCode::not_found, "No route for " + request.method + " " + request.path);
    }
    auto response =
        error_response(ErrorCode::method_not_allowed, request.method + " is not allowed on " + request.path);
    response.headers.add("allow", lookup.allow);
    co_return response;
  }
  RequestContext context{app, request, lookup.params, fx};
  co_return co_await lookup.route->handler(context);
}

std::string_view route_pattern(std::string_view method, std::string_view path) {
  if (path.rfind(routes::api::api_prefix, 0) == 0) {
    const auto lookup = find_route<routes::api::Endpoint>(routes::api::api_routes(), method, path);
    return lookup.route ? lookup.route->pattern : std::string_view("other");
  }
  const auto lookup = find_route<RouteHandler>(route_table, method, path);
  return lookup.route ? lookup.route->pattern : std::string_view("other");
}

}  // namespace frontdesk
