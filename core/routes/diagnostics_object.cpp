#include <boost/json.hpp>

#include "../json.hpp"
#include "diagnostics.hpp"

namespace frontdesk::routes {

Task<Response> diagnostics_object(RequestContext& context) {
  if (!context.app.settings().diagnostics) {
    co_return error_response(ErrorCode::not_found, "No route for POST " + context.request.path);
  }
  const auto kind = std::string(context.params.get("kind").value_or(""));
  const auto id = std::string(context.params.get("id").value_or(""));
  boost::json::error_code ec;
  const auto message = boost::json::parse(context.request.body, ec);
  if (ec || !message.is_object()) co_return error_response(ErrorCode::malformed_body, "the body must be a JSON object");
  auto reply = co_await context.fx.object_call(kind, id, context.request.body);
  if (!reply) co_return error_response(reply.error());
  Response response;
  response.headers.add("content-type", "application/json");
  response.body = std::move(*reply);
  co_return response;
}

}  // namespace frontdesk::routes
