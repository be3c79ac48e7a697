// The ledger's front door: every message prepares the tables, then goes to its operation.
#include "ledger.hpp"

#include <boost/json.hpp>

#include "parts.hpp"

namespace frontdesk::objects {
namespace json = boost::json;

Task<ObjectReply> ledger_call(ObjectContext& context, std::string_view message) {
  json::error_code ec;
  const auto parsed = json::parse(message, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* op_value = object ? object->if_contains("op") : nullptr;
  if (!op_value || !op_value->is_string()) co_return make_error(ErrorCode::malformed_body, "ledger messages need an op");
  const std::string op(op_value->get_string());
  if (auto prepared = co_await ledger::prepare(context); !prepared) co_return prepared.error();
  const auto& m = *object;
  if (op == "ingest") co_return co_await ledger::ingest(context, m);
  if (op == "call_updated") co_return co_await ledger::call_updated(context, m);
  if (op == "record_event") co_return co_await ledger::record_event(context, m);
  if (op == "list_events") co_return co_await ledger::list_events(context, m);
  if (op == "list_calls") co_return co_await ledger::list_calls(context, m);
  if (op == "list_messages") co_return co_await ledger::list_messages(context, m);
  if (op == "list_outbound") co_return co_await ledger::list_outbound(context, m);
  if (op == "identity") co_return co_await ledger::identity(context, m);
  if (op == "registry_list") co_return co_await ledger::registry_list(context);
  if (op == "registry_put") co_return co_await ledger::registry_put(context, m);
  if (op == "registry_delete") co_return co_await ledger::registry_delete(context, m);
  if (op == "list_put") co_return co_await ledger::list_put(context, m);
  if (op == "list_delete") co_return co_await ledger::list_delete(context, m);
  if (op == "audit_list") co_return co_await ledger::audit_list(context, m);
  if (op == "audit_verify") co_return co_await ledger::audit_verify(context);
  if (op == "registry_get") co_return co_await ledger::registry_get(context, m);
  if (op == "list_get") co_return co_await ledger::list_get(context, m);
  if (op == "authorize") co_return co_await ledger::authorize(context, m);
  if (op == "token_create") co_return co_await ledger::token_create(context, m);
  if (op == "token_list") co_return co_await ledger::token_list(context, m);
  if (op == "token_get") co_return co_await ledger::token_get(context, m);
  if (op == "token_revoke") co_return co_await ledger::token_revoke(context, m);
  if (op == "send_message") co_return co_await ledger::send_message(context, m);
  if (op == "place_call") co_return co_await ledger::place_call(context, m);
  co_return make_error(ErrorCode::malformed_body, "unknown ledger op " + op);
}

Task<ObjectReply> ledger_alarm(ObjectContext& context) {
  if (auto prepared = co_await ledger::prepare(context); !prepared) co_return prepared.error();
  co_return co_await ledger::deliver_due(context);
}

}  // namespace frontdesk::objects
