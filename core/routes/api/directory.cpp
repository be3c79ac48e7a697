// /api/v1/registry, /api/v1/lists and /api/v1/identities: the tenant's directory.
#include <boost/json.hpp>

#include "../../json.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {
namespace {

Result<std::string> list_param(const ApiContext& context) {
  const auto list = path_param(context, "list");
  if (list != "allow" && list != "block") return make_error(ErrorCode::not_found, "no list " + list);
  return list;
}

}  // namespace

// Newest edit first.
Task<Response> list_registry(ApiContext& context) {
  json::object message{{"op", "directory_page"}, {"of", "registry"}};
  co_return co_await paged_list(context, "registry", std::move(message));
}

Task<Response> list_entries(ApiContext& context) {
  auto list = list_param(context);
  if (!list) co_return error_response(list.error());
  json::object message{{"op", "directory_page"}, {"of", *list}};
  co_return co_await paged_list(context, *list, std::move(message));
}

Task<Response> get_registry(ApiContext& context) {
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  json::object message{{"op", "registry_get"}, {"phone", *phone}};
  co_return co_await ledger_answer(context, std::move(message), 200);
}

Task<Response> put_registry(ApiContext& context) {
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  const auto name = body_text(*body, "namespace");
  if (!name) co_return error_response(ErrorCode::invalid_field, "namespace: is required");
  json::object message{{"op", "registry_put"}, {"phone", *phone}, {"namespace", *name}};
  co_return co_await ledger_answer(context, std::move(message), 200);
}

Task<Response> delete_registry(ApiContext& context) {
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  json::object message{{"op", "registry_delete"}, {"phone", *phone}};
  co_return co_await ledger_answer(context, std::move(message), 204);
}

Task<Response> get_list_entry(ApiContext& context) {
  auto list = list_param(context);
  if (!list) co_return error_response(list.error());
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  json::object message{{"op", "list_get"}, {"list", *list}, {"phone", *phone}};
  co_return co_await ledger_answer(context, std::move(message), 200);
}

Task<Response> put_list_entry(ApiContext& context) {
  auto list = list_param(context);
  if (!list) co_return error_response(list.error());
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  json::object message{{"op", "list_put"}, {"list", *list}, {"phone", *phone}};
  co_return co_await ledger_answer(context, std::move(message), 200);
}

Task<Response> delete_list_entry(ApiContext& context) {
  auto list = list_param(context);
  if (!list) co_return error_response(list.error());
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  json::object message{{"op", "list_delete"}, {"list", *list}, {"phone", *phone}};
  co_return co_await ledger_answer(context, std::move(message), 204);
}

Task<Response> get_identity(ApiContext& context) {
  const auto id = path_param(context, "id");
  json::object message{{"op", "identity"}, {"id", id}};
  auto reply = co_await ask_ledger(context, std::move(message));
  if (!reply) co_return error_response(reply.error());
  const auto* identity = reply->if_contains("identity");
  if (!identity || !identity->is_object()) co_return error_response(ErrorCode::not_found, "no identity " + id);
  co_return json_answer(200, *identity);
}

}  // namespace frontdesk::routes::api
