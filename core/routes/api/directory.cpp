// /api/v1/registry, /api/v1/lists and /api/v1/identities: the tenant's directory.
#include <boost/json.hpp>

#include "../../json.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {
namespace {

namespace protocol = objects::protocol;

Result<protocol::ListName> list_param(const ApiContext& context) {
  const auto list = path_param(context, "list");
  if (list == "allow") return protocol::ListName::allow;
  if (list == "block") return protocol::ListName::block;
  return make_error(ErrorCode::not_found, "no list " + list);
}

// Newest edit first; `cursors` names the listing its cursors belong to.
Task<Response> directory_listing(ApiContext& context, protocol::DirectoryOf of, std::string_view cursors) {
  const auto page = page_of(context.request, cursors);
  if (!page) co_return error_response(page.error());
  const protocol::DirectoryPage::Request request{of, page->limit, page->position};
  auto entries = co_await ledger_of(context).call<protocol::DirectoryPage>(request);
  if (!entries) co_return error_response(entries.error());
  co_return page_response(*entries, &protocol::DirectoryEntries::entries, cursors, [](const protocol::DirectoryEntry& entry) { return protocol::to_json(entry); });
}

// A list edit: the list from the path, the phone as the caller wrote it.
Result<protocol::ListPut::Request> list_edit(const ApiContext& context) {
  auto list = list_param(context);
  if (!list) return list.error();
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) return phone.error();
  return protocol::ListPut::Request{*list, std::move(*phone), context.principal.actor};
}

}  // namespace

Task<Response> list_registry(ApiContext& context) {
  co_return co_await directory_listing(context, protocol::DirectoryOf::registry, "registry");
}

Task<Response> list_entries(ApiContext& context) {
  auto list = list_param(context);
  if (!list) co_return error_response(list.error());
  const bool allow = *list == protocol::ListName::allow;
  co_return co_await directory_listing(context, allow ? protocol::DirectoryOf::allow : protocol::DirectoryOf::block,
                                       allow ? "allow" : "block");
}

Task<Response> get_registry(ApiContext& context) {
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  const protocol::RegistryGet::Request request{std::move(*phone)};
  auto entry = co_await ledger_of(context).call<protocol::RegistryGet>(request);
  co_return typed_answer(200, entry);
}

Task<Response> put_registry(ApiContext& context) {
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  auto body = body_object(context.request);
  if (!body) co_return error_response(body.error());
  auto name = body_text(*body, "namespace");
  if (!name) co_return error_response(ErrorCode::invalid_field, "namespace: is required");
  const protocol::RegistryPut::Request request{std::move(*phone), std::move(*name), context.principal.actor};
  auto entry = co_await ledger_of(context).call<protocol::RegistryPut>(request);
  co_return typed_answer(200, entry);
}

Task<Response> delete_registry(ApiContext& context) {
  auto phone = phone_value(path_param(context, "phone"), "phone");
  if (!phone) co_return error_response(phone.error());
  const protocol::RegistryDelete::Request request{std::move(*phone), context.principal.actor};
  auto removed = co_await ledger_of(context).call<protocol::RegistryDelete>(request);
  co_return typed_answer(204, removed);
}

Task<Response> get_list_entry(ApiContext& context) {
  auto edit = list_edit(context);
  if (!edit) co_return error_response(edit.error());
  const protocol::ListGet::Request request{edit->list, edit->phone};
  auto entry = co_await ledger_of(context).call<protocol::ListGet>(request);
  co_return typed_answer(200, entry);
}

Task<Response> put_list_entry(ApiContext& context) {
  auto edit = list_edit(context);
  if (!edit) co_return error_response(edit.error());
  auto entry = co_await ledger_of(context).call<protocol::ListPut>(*edit);
  co_return typed_answer(200, entry);
}

Task<Response> delete_list_entry(ApiContext& context) {
  auto edit = list_edit(context);
  if (!edit) co_return error_response(edit.error());
  auto removed = co_await ledger_of(context).call<protocol::ListDelete>(*edit);
  co_return typed_answer(204, removed);
}

Task<Response> get_identity(ApiContext& context) {
  const auto id = path_param(context, "id");
  const protocol::IdentityGet::Request request{id, std::nullopt};
  auto found = co_await ledger_of(context).call<protocol::IdentityGet>(request);
  if (!found) co_return error_response(found.error());
  if (!found->identity) co_return error_response(ErrorCode::not_found, "no identity " + id);
  co_return json_answer(200, protocol::to_json(*found->identity));
}

}  // namespace frontdesk::routes::api
