// The ledger's front door: a message names its operation; the tables are prepared, then it runs.
#include "ledger.hpp"

#include <array>
#include <boost/json.hpp>
#include <boost/mp11/algorithm.hpp>
#include <utility>

#include "../protocol.hpp"
#include "parts.hpp"
#include "protocol.hpp"

namespace frontdesk::objects {
namespace json = boost::json;

namespace {

using Operation = Task<ObjectReply> (*)(ObjectContext&, const json::object&);

// An operation of core/objects/ledger/protocol.hpp: its request decoded from the message,
// its reply encoded.
template <protocol::Operation Op, Task<Result<typename Op::Reply>> (*Handler)(ObjectContext&, const typename Op::Request&)>
Task<ObjectReply> typed(ObjectContext& context, const json::object& message) {
  FRONTDESK_CO_TRY(auto request, protocol::decode_request<Op>(message));
  FRONTDESK_CO_TRY(auto reply, co_await Handler(context, request));
  co_return protocol::encode_reply<Op>(reply);
}

// Every message the ledger answers (docs/reception.md, "Ledger operations").
constexpr std::array<std::pair<std::string_view, Operation>, 42> operations{{
    {protocol::Receive::name, &typed<protocol::Receive, &ledger::receive>},
    {protocol::Lease::name, &typed<protocol::Lease, &ledger::lease>},
    {protocol::Settle::name, &typed<protocol::Settle, &ledger::settle>},
    {protocol::EventList::name, &typed<protocol::EventList, &ledger::list_events>},
    {protocol::CallList::name, &typed<protocol::CallList, &ledger::list_calls>},
    {protocol::MessageList::name, &typed<protocol::MessageList, &ledger::list_messages>},
    {protocol::OutboundList::name, &typed<protocol::OutboundList, &ledger::list_outbound>},
    {protocol::OutboundRetry::name, &typed<protocol::OutboundRetry, &ledger::outbound_retry>},
    {protocol::Stats::name, &typed<protocol::Stats, &ledger::stats>},
    {protocol::Metrics::name, &typed<protocol::Metrics, &ledger::metrics>},
    {protocol::LiveTicket::name, &typed<protocol::LiveTicket, &ledger::live_ticket>},
    {protocol::LiveTake::name, &typed<protocol::LiveTake, &ledger::live_take>},
    {protocol::Prune::name, &typed<protocol::Prune, &ledger::prune>},
    {protocol::IdentityGet::name, &typed<protocol::IdentityGet, &ledger::identity>},
    {protocol::RegistryList::name, &typed<protocol::RegistryList, &ledger::registry_list>},
    {protocol::DirectoryPage::name, &typed<protocol::DirectoryPage, &ledger::directory_page>},
    {protocol::RegistryPut::name, &typed<protocol::RegistryPut, &ledger::registry_put>},
    {protocol::RegistryDelete::name, &typed<protocol::RegistryDelete, &ledger::registry_delete>},
    {protocol::ListPut::name, &typed<protocol::ListPut, &ledger::list_put>},
    {protocol::ListDelete::name, &typed<protocol::ListDelete, &ledger::list_delete>},
    {protocol::AuditList::name, &typed<protocol::AuditList, &ledger::audit_list>},
    {protocol::AuditVerify::name, &typed<protocol::AuditVerify, &ledger::audit_verify>},
    {protocol::RegistryGet::name, &typed<protocol::RegistryGet, &ledger::registry_get>},
    {protocol::ListGet::name, &typed<protocol::ListGet, &ledger::list_get>},
    {protocol::Authorize::name, &typed<protocol::Authorize, &ledger::authorize>},
    {protocol::TokenCreate::name, &typed<protocol::TokenCreate, &ledger::token_create>},
    {protocol::TokenList::name, &typed<protocol::TokenList, &ledger::token_list>},
    {protocol::TokenGet::name, &typed<protocol::TokenGet, &ledger::token_get>},
    {protocol::TokenRevoke::name, &typed<protocol::TokenRevoke, &ledger::token_revoke>},
    {protocol::SendMessage::name, &typed<protocol::SendMessage, &ledger::send_message>},
    {protocol::PlaceCall::name, &typed<protocol::PlaceCall, &ledger::place_call>},
    {protocol::EndpointCreate::name, &typed<protocol::EndpointCreate, &ledger::endpoint_create>},
    {protocol::EndpointList::name, &typed<protocol::EndpointList, &ledger::endpoint_list>},
    {protocol::EndpointGet::name, &typed<protocol::EndpointGet, &ledger::endpoint_get>},
    {protocol::EndpointUpdate::name, &typed<protocol::EndpointUpdate, &ledger::endpoint_update>},
    {protocol::EndpointDelete::name, &typed<protocol::EndpointDelete, &ledger::endpoint_delete>},
    {protocol::EndpointSecretGet::name, &typed<protocol::EndpointSecretGet, &ledger::endpoint_secret>},
    {protocol::EndpointRotate::name, &typed<protocol::EndpointRotate, &ledger::endpoint_rotate>},
    {protocol::EndpointTest::name, &typed<protocol::EndpointTest, &ledger::endpoint_test>},
    {protocol::EndpointReplay::name, &typed<protocol::EndpointReplay, &ledger::endpoint_replay>},
    {protocol::DeliveryList::name, &typed<protocol::DeliveryList, &ledger::list_deliveries>},
    {protocol::DeliveryRetry::name, &typed<protocol::DeliveryRetry, &ledger::delivery_retry>},
}};

// Every operation is typed, and the docs test reads every one's fields from its types.
static_assert(boost::mp11::mp_size<protocol::LedgerOperations>::value == operations.size());

Operation operation_named(std::string_view op) {
  for (const auto& [name, operation] : operations) {
    if (name == op) return operation;
  }
  return nullptr;
}

}  // namespace

Task<ObjectReply> ledger_call(ObjectContext& context, std::string_view message) {
  json::error_code ec;
  const auto parsed = json::parse(message, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* op = object ? object->if_contains("op") : nullptr;
  if (!op || !op->is_string()) co_return make_error(ErrorCode::malformed_body, "ledger messages need an op");
  const auto operation = operation_named(op->get_string());
  if (!operation) co_return make_error(ErrorCode::malformed_body, "unknown ledger op " + std::string(op->get_string()));
  if (context.fresh) {
    FRONTDESK_CO_CHECK(co_await ledger::prepare(context));
  }
  co_return co_await operation(context, *object);
}

}  // namespace frontdesk::objects
