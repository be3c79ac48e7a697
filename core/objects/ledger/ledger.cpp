// The ledger's front door: a message names its operation; the tables are prepared, then it runs.
#include "ledger.hpp"

#include <array>
#include <boost/json.hpp>
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
  auto request = protocol::decode_request<Op>(message);
  if (!request) co_return request.error();
  auto reply = co_await Handler(context, *request);
  if (!reply) co_return reply.error();
  co_return protocol::encode_reply<Op>(*reply);
}

// Every message the ledger answers (docs/reception.md, "Ledger operations").
constexpr std::array<std::pair<std::string_view, Operation>, 42> operations{{
    {protocol::Receive::name, &typed<protocol::Receive, &ledger::receive>},
    {protocol::Lease::name, &typed<protocol::Lease, &ledger::lease>},
    {protocol::Settle::name, &typed<protocol::Settle, &ledger::settle>},
    {"list_events", &ledger::list_events},
    {"list_calls", &ledger::list_calls},
    {"list_messages", &ledger::list_messages},
    {"list_outbound", &ledger::list_outbound},
    {"outbound_retry", &ledger::outbound_retry},
    {"stats", &ledger::stats},
    {"metrics", &ledger::metrics},
    {protocol::LiveTicket::name, &typed<protocol::LiveTicket, &ledger::live_ticket>},
    {protocol::LiveTake::name, &typed<protocol::LiveTake, &ledger::live_take>},
    {protocol::Prune::name, &typed<protocol::Prune, &ledger::prune>},
    {"identity", &ledger::identity},
    {"registry_list", &ledger::registry_list},
    {"directory_page", &ledger::directory_page},
    {"registry_put", &ledger::registry_put},
    {"registry_delete", &ledger::registry_delete},
    {"list_put", &ledger::list_put},
    {"list_delete", &ledger::list_delete},
    {"audit_list", &ledger::audit_list},
    {protocol::AuditVerify::name, &typed<protocol::AuditVerify, &ledger::audit_verify>},
    {"registry_get", &ledger::registry_get},
    {"list_get", &ledger::list_get},
    {protocol::Authorize::name, &typed<protocol::Authorize, &ledger::authorize>},
    {"token_create", &ledger::token_create},
    {"token_list", &ledger::token_list},
    {"token_get", &ledger::token_get},
    {"token_revoke", &ledger::token_revoke},
    {"send_message", &ledger::send_message},
    {"place_call", &ledger::place_call},
    {"endpoint_create", &ledger::endpoint_create},
    {"endpoint_list", &ledger::endpoint_list},
    {"endpoint_get", &ledger::endpoint_get},
    {"endpoint_update", &ledger::endpoint_update},
    {"endpoint_delete", &ledger::endpoint_delete},
    {"endpoint_secret", &ledger::endpoint_secret},
    {"endpoint_rotate", &ledger::endpoint_rotate},
    {"endpoint_test", &ledger::endpoint_test},
    {"endpoint_replay", &ledger::endpoint_replay},
    {"list_deliveries", &ledger::list_deliveries},
    {"delivery_retry", &ledger::delivery_retry},
}};

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
    if (auto prepared = co_await ledger::prepare(context); !prepared) co_return prepared.error();
  }
  co_return co_await operation(context, *object);
}

}  // namespace frontdesk::objects
