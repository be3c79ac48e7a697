// /api/v1/deliveries: the fan-out delivery log (every attempt of every event sent to an
// endpoint) and sending one again.
#include <boost/json.hpp>

#include "../../fanout/catalog.hpp"
#include "../../json.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {

Task<Response> list_deliveries(ApiContext& context) {
  json::object message{{"op", "list_deliveries"}};
  if (const auto endpoint = query_value(context.request, "endpoint")) message["endpoint"] = *endpoint;
  if (const auto status = query_value(context.request, "status")) {
    if (*status != "pending" && *status != "delivered" && *status != "dead") {
      co_return error_response(ErrorCode::invalid_field, "status: must be pending, delivered or dead");
    }
    message["status"] = *status;
  }
  if (const auto type = query_value(context.request, "event_type")) {
    if (!fanout::known_event_type(*type)) co_return error_response(ErrorCode::invalid_field, "event_type: unknown event type " + *type);
    message["event_type"] = *type;
  }
  co_return co_await paged_list(context, "deliveries", std::move(message));
}

// 202: the delivery, pending again and due now.
Task<Response> retry_delivery(ApiContext& context) {
  json::object message{{"op", "delivery_retry"}, {"id", path_param(context, "id")}};
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  const auto* deliveries = reply->if_contains("deliveries");
  if (!deliveries || !deliveries->is_array() || deliveries->get_array().empty()) {
    co_return error_response(ErrorCode::storage_unavailable, "the ledger gave no delivery");
  }
  co_return json_answer(202, deliveries->get_array()[0]);
}

}  // namespace frontdesk::routes::api
