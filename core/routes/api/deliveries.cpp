// /api/v1/deliveries: the fan-out delivery log (every attempt of every event sent to an
// endpoint) and sending one again.
#include <boost/json.hpp>

#include "../../fanout/catalog.hpp"
#include "../../json.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {

namespace protocol = objects::protocol;

Task<Response> list_deliveries(ApiContext& context) {
  const auto page = page_of(context.request, "deliveries");
  if (!page) co_return error_response(page.error());
  protocol::DeliveryList::Request request{page->limit, page->position, query_value(context.request, "endpoint"),
                                          std::nullopt, std::nullopt, std::nullopt};
  if (const auto status = query_value(context.request, "status")) {
    request.status = protocol::enum_of<protocol::SendStatus>(*status);
    if (!request.status) co_return error_response(ErrorCode::invalid_field, "status: must be pending, delivered or dead");
  }
  if (const auto type = query_value(context.request, "event_type")) {
    if (!fanout::known_event_type(*type)) co_return error_response(ErrorCode::invalid_field, "event_type: unknown event type " + *type);
    request.event_type = *type;
  }
  auto deliveries = co_await ledger_of(context).call<protocol::DeliveryList>(request);
  if (!deliveries) co_return error_response(deliveries.error());
  co_return page_response(*deliveries, &protocol::DeliveryPage::deliveries, "deliveries", [](const protocol::Delivery& delivery) {
    return protocol::to_document(delivery);
  });
}

// 202: the delivery, pending again and due now.
Task<Response> retry_delivery(ApiContext& context) {
  const protocol::DeliveryRetry::Request retry{path_param(context, "id")};
  auto delivery = co_await ledger_of(context).call<protocol::DeliveryRetry>(retry);
  if (!delivery) co_return error_response(delivery.error());
  co_return json_answer(202, protocol::to_document(*delivery));
}

}  // namespace frontdesk::routes::api
