// The tenant's directory: the registry (phone → verified namespace), the allow and block
// lists, and identities (one per phone number seen, with a stable id the core mints).
#include <boost/json.hpp>

#include "../../encoding.hpp"
#include "../../phone.hpp"
#include "../../time.hpp"
#include "parts.hpp"

namespace frontdesk::objects::ledger {
namespace {

Error invalid(std::string_view field, std::string_view what) {
  std::string message(field);
  message.append(": ").append(what);
  return make_error(ErrorCode::invalid_field, std::move(message));
}

Result<std::string> e164_of(const std::string& phone) {
  auto e164 = normalize_e164(phone);
  if (!e164) return invalid("phone", "is not a phone number");
  return std::move(*e164);
}

// A namespace is a dotted name such as alice.x: lowercase letters, digits, '-', '_' and
// dots between labels.
bool valid_namespace(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
  char previous = 0;
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!allowed || (c == '.' && previous == '.')) return false;
    previous = c;
  }
  return true;
}

// As the lists table stores it.
std::string list_text(protocol::ListName list) { return list == protocol::ListName::allow ? "allow" : "block"; }

Task<Result<std::string>> now_text(Fx& fx) {
  FRONTDESK_CO_TRY(const auto now, co_await fx.now());
  co_return rfc3339_from_ms(now);
}

// Audits the edit, with who made it, and tells the tenant's endpoints (registry.changed).
// Each edit is its own audit entry: its subject carries the time, so a later edit of the
// same phone is not mistaken for a retry of this one.
Task<Result<void>> edited(ObjectContext& context, const std::optional<std::string>& actor, std::string at,
                          std::string kind, const std::string& phone, json::object body) {
  if (actor && !actor->empty()) body["actor"] = *actor;
  const auto now_us = unix_us_from_rfc3339(at);
  json::object data = body;
  data["change"] = kind;
  if (!data.contains("actor")) data["actor"] = nullptr;
  const auto subject = phone + " " + at;
  std::vector<FanoutEvent> events{fanout_event(context.id, "registry.changed", kind + "\n" + subject, std::move(data))};
  audit::EntryFields fields{std::move(at), std::move(kind), subject, json::serialize(body)};
  FRONTDESK_CO_CHECK(co_await audit_once(context, std::move(fields)));
  FRONTDESK_CO_CHECK(co_await fan_out(context, events, now_us.value_or(0) / 1000));
  co_return Result<void>{};
}

json::object entry_body(const protocol::RegistryEntry& entry) {
  return {{"phone", entry.phone}, {"namespace", entry.namespace_}};
}
json::object entry_body(const protocol::ListEntry& entry) {
  return {{"list", list_text(entry.list)}, {"phone", entry.phone}};
}

}  // namespace

Task<Result<protocol::RegistryList::Reply>> registry_list(ObjectContext& context, const protocol::RegistryList::Request&) {
  FRONTDESK_CO_TRY(const auto registry, co_await context.fx.sql("SELECT phone, namespace FROM registry ORDER BY phone"));
  FRONTDESK_CO_TRY(const auto lists, co_await context.fx.sql("SELECT list, phone FROM lists ORDER BY list, phone"));
  protocol::RegistryList::Reply reply;
  for (std::size_t i = 0; i < registry.rows.size(); ++i) {
    reply.registry.push_back({text_of(cell(registry, "phone", i)), text_of(cell(registry, "namespace", i))});
  }
  for (std::size_t i = 0; i < lists.rows.size(); ++i) {
    (text_of(cell(lists, "list", i)) == "allow" ? reply.allow : reply.block).push_back(text_of(cell(lists, "phone", i)));
  }
  co_return reply;
}

Task<Result<protocol::DirectoryPage::Reply>> directory_page(ObjectContext& context,
                                                            const protocol::DirectoryPage::Request& request) {
  const auto [limit, before] = listing_of(protocol::PageRequest{request.limit, request.before_seq});
  const bool registry = request.of == protocol::DirectoryOf::registry;
  const auto list = request.of == protocol::DirectoryOf::allow ? protocol::ListName::allow : protocol::ListName::block;
  std::vector<SqlValue> params{SqlValue{before}};
  std::string sql = registry ? "SELECT rowid AS seq, phone, namespace, updated_at FROM registry WHERE rowid < ?"
                             : "SELECT rowid AS seq, phone, updated_at FROM lists WHERE rowid < ? AND list = ?";
  if (!registry) params.emplace_back(list_text(list));
  sql += " ORDER BY rowid DESC LIMIT ?";
  params.emplace_back(limit + 1);
  FRONTDESK_CO_TRY(auto rows, co_await context.fx.sql(std::move(sql), std::move(params)));
  co_return page_of(&protocol::DirectoryEntries::entries, rows, limit, [&](const SqlRows& page, std::size_t i) {
    protocol::DirectoryEntry entry{text_of(cell(page, "phone", i)), std::nullopt, std::nullopt,
                                   text_of(cell(page, "updated_at", i))};
    if (registry) {
      entry.namespace_ = text_of(cell(page, "namespace", i));
    } else {
      entry.list = list;
    }
    return entry;
  });
}

Task<Result<protocol::RegistryGet::Reply>> registry_get(ObjectContext& context, const protocol::RegistryGet::Request& request) {
  FRONTDESK_CO_TRY(auto phone, e164_of(request.phone));
  std::vector<SqlValue> params{SqlValue{phone}};
  FRONTDESK_CO_TRY(const auto rows,
                   co_await context.fx.sql("SELECT namespace FROM registry WHERE phone = ?", std::move(params)));
  if (rows.rows.empty()) co_return make_error(ErrorCode::not_found, "no registry entry for " + phone);
  co_return protocol::RegistryEntry{std::move(phone), text_of(cell(rows, "namespace"))};
}

Task<Result<protocol::ListGet::Reply>> list_get(ObjectContext& context, const protocol::ListGet::Request& request) {
  FRONTDESK_CO_TRY(auto phone, e164_of(request.phone));
  std::vector<SqlValue> params{SqlValue{list_text(request.list)}, SqlValue{phone}};
  FRONTDESK_CO_TRY(const auto rows,
                   co_await context.fx.sql("SELECT 1 FROM lists WHERE list = ? AND phone = ?", std::move(params)));
  if (rows.rows.empty()) {
    co_return make_error(ErrorCode::not_found, phone + " is not on the " + list_text(request.list) + " list");
  }
  co_return protocol::ListEntry{request.list, std::move(phone)};
}

Task<Result<protocol::RegistryPut::Reply>> registry_put(ObjectContext& context, const protocol::RegistryPut::Request& request) {
  FRONTDESK_CO_TRY(auto phone, e164_of(request.phone));
  if (!valid_namespace(request.namespace_)) co_return invalid("namespace", "must be a dotted name such as alice.x");
  FRONTDESK_CO_TRY(auto at, co_await now_text(context.fx));
  std::vector<SqlValue> params{SqlValue{phone}, SqlValue{request.namespace_}, SqlValue{at}};
  FRONTDESK_CO_CHECK(co_await context.fx.sql(
      "INSERT INTO registry (phone, namespace, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (phone) DO UPDATE SET namespace = excluded.namespace, updated_at = excluded.updated_at",
      std::move(params)));
  protocol::RegistryEntry entry{std::move(phone), request.namespace_};
  FRONTDESK_CO_CHECK(co_await edited(context, request.actor, std::move(at), "registry.put", entry.phone, entry_body(entry)));
  co_return entry;
}

Task<Result<protocol::RegistryDelete::Reply>> registry_delete(ObjectContext& context,
                                                              const protocol::RegistryDelete::Request& request) {
  FRONTDESK_CO_TRY(auto phone, e164_of(request.phone));
  FRONTDESK_CO_TRY(auto at, co_await now_text(context.fx));
  std::vector<SqlValue> params{SqlValue{phone}};
  FRONTDESK_CO_TRY(const auto deleted, co_await context.fx.sql("DELETE FROM registry WHERE phone = ? RETURNING namespace",
                                                                std::move(params)));
  if (deleted.rows.empty()) co_return make_error(ErrorCode::not_found, "no registry entry for " + phone);
  json::object body{{"phone", phone}};
  FRONTDESK_CO_CHECK(co_await edited(context, request.actor, std::move(at), "registry.delete", phone, std::move(body)));
  co_return protocol::RegistryEntry{std::move(phone), text_of(cell(deleted, "namespace"))};
}

Task<Result<protocol::ListPut::Reply>> list_put(ObjectContext& context, const protocol::ListPut::Request& request) {
  FRONTDESK_CO_TRY(auto phone, e164_of(request.phone));
  FRONTDESK_CO_TRY(auto at, co_await now_text(context.fx));
  std::vector<SqlValue> params{SqlValue{list_text(request.list)}, SqlValue{phone}, SqlValue{at}};
  FRONTDESK_CO_CHECK(co_await context.fx.sql(
      "INSERT INTO lists (list, phone, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (list, phone) DO UPDATE SET updated_at = excluded.updated_at",
      std::move(params)));
  protocol::ListEntry entry{request.list, std::move(phone)};
  FRONTDESK_CO_CHECK(co_await edited(context, request.actor, std::move(at), list_text(entry.list) + ".put", entry.phone,
                                     entry_body(entry)));
  co_return entry;
}

Task<Result<protocol::ListDelete::Reply>> list_delete(ObjectContext& context, const protocol::ListDelete::Request& request) {
  FRONTDESK_CO_TRY(auto phone, e164_of(request.phone));
  FRONTDESK_CO_TRY(auto at, co_await now_text(context.fx));
  const auto list = list_text(request.list);
  std::vector<SqlValue> params{SqlValue{list}, SqlValue{phone}};
  FRONTDESK_CO_TRY(const auto deleted,
                   co_await context.fx.sql("DELETE FROM lists WHERE list = ? AND phone = ? RETURNING phone",
                                           std::move(params)));
  if (deleted.rows.empty()) co_return make_error(ErrorCode::not_found, phone + " is not on the " + list + " list");
  protocol::ListEntry entry{request.list, std::move(phone)};
  FRONTDESK_CO_CHECK(co_await edited(context, request.actor, std::move(at), list + ".delete", entry.phone,
                                     entry_body(entry)));
  co_return entry;
}

Task<Result<protocol::IdentityGet::Reply>> identity(ObjectContext& context, const protocol::IdentityGet::Request& request) {
  std::vector<SqlValue> params;
  std::string sql = "SELECT id, phone, first_seen, last_seen, calls, messages FROM identities WHERE ";
  if (request.id && !request.id->empty()) {
    sql += "id = ?";
    params.emplace_back(*request.id);
  } else {
    FRONTDESK_CO_TRY(auto phone, e164_of(request.phone.value_or("")));
    sql += "phone = ?";
    params.emplace_back(std::move(phone));
  }
  FRONTDESK_CO_TRY(const auto rows, co_await context.fx.sql(std::move(sql), std::move(params)));
  if (rows.rows.empty()) co_return protocol::IdentityGet::Reply{};
  const auto phone = text_of(cell(rows, "phone"));
  co_return protocol::IdentityGet::Reply{protocol::Identity{
      text_of(cell(rows, "id")), phone, display_number(phone), text_of(cell(rows, "first_seen")),
      text_of(cell(rows, "last_seen")), int_of(cell(rows, "calls")), int_of(cell(rows, "messages"))}};
}

std::optional<SqlExec> identity_sighting(const std::string& phone, const std::string& at, Sighting sighting,
                                         std::string id) {
  if (!normalize_e164(phone) || *normalize_e164(phone) != phone) return std::nullopt;
  const std::int64_t calls = sighting == Sighting::call ? 1 : 0;
  const std::int64_t messages = sighting == Sighting::message ? 1 : 0;
  // last_seen only moves forward: deliveries arrive out of order.
  return SqlExec{"INSERT INTO identities (id, phone, first_seen, last_seen, calls, messages) VALUES (?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (phone) DO UPDATE SET "
                 "first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen), "
                 "calls = calls + excluded.calls, messages = messages + excluded.messages",
                 {std::move(id), phone, at, at, calls, messages}};
}

}  // namespace frontdesk::objects::ledger
