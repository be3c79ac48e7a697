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

Result<std::string> phone_field(const json::object& message) {
  auto e164 = normalize_e164(field_text(message, "phone"));
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

Result<std::string> list_field(const json::object& message) {
  const auto list = field_text(message, "list");
  if (list != "allow" && list != "block") return invalid("list", "must be allow or block");
  return list;
}

Task<Result<std::string>> now_text(Fx& fx) {
  auto now = co_await fx.now();
  if (!now) co_return now.error();
  co_return rfc3339_from_ms(*now);
}

// Audits the edit (with who made it: the message's actor) and answers the edited entry.
Task<ObjectReply> edited(ObjectContext& context, const json::object& message, std::string at, std::string kind,
                         std::string subject, json::object entry) {
  json::object body = entry;
  if (const auto actor = field_text(message, "actor"); !actor.empty()) body["actor"] = actor;
  const auto now_us = unix_us_from_rfc3339(at);
  json::object data = body;
  data["change"] = kind;
  if (!data.contains("actor")) data["actor"] = nullptr;
  std::vector<FanoutEvent> events{fanout_event(context.id, "registry.changed", kind + "\n" + subject, std::move(data))};
  audit::EntryFields fields{std::move(at), std::move(kind), std::move(subject), json::serialize(body)};
  if (auto appended = co_await audit_once(context, std::move(fields)); !appended) co_return appended.error();
  if (auto sent = co_await fan_out(context, events, now_us.value_or(0) / 1000); !sent) {
    co_return sent.error();
  }
  co_return json::serialize(entry);
}

}  // namespace

Task<ObjectReply> registry_list(ObjectContext& context, const json::object&) {
  auto registry = co_await context.fx.sql("SELECT phone, namespace FROM registry ORDER BY phone");
  if (!registry) co_return registry.error();
  auto lists = co_await context.fx.sql("SELECT list, phone FROM lists ORDER BY list, phone");
  if (!lists) co_return lists.error();
  json::array names;
  for (const auto& row : registry->rows) {
    names.push_back(json::object{{"phone", text_of(row[0])}, {"namespace", text_of(row[1])}});
  }
  json::array allow;
  json::array block;
  for (const auto& row : lists->rows) (text_of(row[0]) == "allow" ? allow : block).emplace_back(text_of(row[1]));
  co_return json::serialize(json::object{{"registry", names}, {"allow", allow}, {"block", block}});
}

// One page of the registry or of a list, newest edit first ("of": registry | allow | block);
// the rowid orders them, so a page never skips or repeats an entry added meanwhile.
// → {<of>:[{"phone","namespace"|"list","updated_at"}],"has_more","next"}
Task<ObjectReply> directory_page(ObjectContext& context, const json::object& message) {
  const auto of = field_text(message, "of");
  if (of != "registry" && of != "allow" && of != "block") co_return invalid("of", "must be registry, allow or block");
  const auto [limit, before] = listing_of(message);
  const bool registry = of == "registry";
  std::vector<SqlValue> params{SqlValue{before}};
  std::string sql = registry ? "SELECT rowid AS seq, phone, namespace, updated_at FROM registry WHERE rowid < ?"
                             : "SELECT rowid AS seq, phone, updated_at FROM lists WHERE rowid < ? AND list = ?";
  if (!registry) params.emplace_back(of);
  sql += " ORDER BY rowid DESC LIMIT ?";
  params.emplace_back(limit + 1);
  auto rows = co_await context.fx.sql(std::move(sql), std::move(params));
  if (!rows) co_return rows.error();
  co_return json::serialize(page_reply(of, *rows, limit, [&](const SqlRows& page, std::size_t i) {
    json::object entry{{"phone", text_of(cell(page, "phone", i))}};
    if (registry) {
      entry["namespace"] = text_of(cell(page, "namespace", i));
    } else {
      entry["list"] = of;
    }
    entry["updated_at"] = text_of(cell(page, "updated_at", i));
    return entry;
  }));
}

Task<ObjectReply> registry_get(ObjectContext& context, const json::object& message) {
  auto phone = phone_field(message);
  if (!phone) co_return phone.error();
  std::vector<SqlValue> params{SqlValue{*phone}};
  auto rows = co_await context.fx.sql("SELECT namespace FROM registry WHERE phone = ?", std::move(params));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return make_error(ErrorCode::not_found, "no registry entry for " + *phone);
  co_return json::serialize(json::object{{"phone", *phone}, {"namespace", text_of(rows->rows[0][0])}});
}

Task<ObjectReply> list_get(ObjectContext& context, const json::object& message) {
  auto list = list_field(message);
  if (!list) co_return list.error();
  auto phone = phone_field(message);
  if (!phone) co_return phone.error();
  std::vector<SqlValue> params{SqlValue{*list}, SqlValue{*phone}};
  auto rows = co_await context.fx.sql("SELECT 1 FROM lists WHERE list = ? AND phone = ?", std::move(params));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return make_error(ErrorCode::not_found, *phone + " is not on the " + *list + " list");
  co_return json::serialize(json::object{{"list", *list}, {"phone", *phone}});
}

Task<ObjectReply> registry_put(ObjectContext& context, const json::object& message) {
  auto phone = phone_field(message);
  if (!phone) co_return phone.error();
  const auto name = field_text(message, "namespace");
  if (!valid_namespace(name)) co_return invalid("namespace", "must be a dotted name such as alice.x");
  auto at = co_await now_text(context.fx);
  if (!at) co_return at.error();
  std::vector<SqlValue> params{SqlValue{*phone}, SqlValue{name}, SqlValue{*at}};
  auto written = co_await context.fx.sql(
      "INSERT INTO registry (phone, namespace, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (phone) DO UPDATE SET namespace = excluded.namespace, updated_at = excluded.updated_at",
      std::move(params));
  if (!written) co_return written.error();
  json::object body{{"phone", *phone}, {"namespace", name}};
  // Each edit is its own entry: its subject carries the time so a later edit of the same
  // phone is not mistaken for a retry of this one.
  co_return co_await edited(context, message, *at, "registry.put", *phone + " " + *at, std::move(body));
}

Task<ObjectReply> registry_delete(ObjectContext& context, const json::object& message) {
  auto phone = phone_field(message);
  if (!phone) co_return phone.error();
  auto at = co_await now_text(context.fx);
  if (!at) co_return at.error();
  std::vector<SqlValue> params{SqlValue{*phone}};
  auto deleted = co_await context.fx.sql("DELETE FROM registry WHERE phone = ? RETURNING phone", std::move(params));
  if (!deleted) co_return deleted.error();
  if (deleted->rows.empty()) co_return make_error(ErrorCode::not_found, "no registry entry for " + *phone);
  json::object body{{"phone", *phone}};
  co_return co_await edited(context, message, *at, "registry.delete", *phone + " " + *at, std::move(body));
}

Task<ObjectReply> list_put(ObjectContext& context, const json::object& message) {
  auto list = list_field(message);
  if (!list) co_return list.error();
  auto phone = phone_field(message);
  if (!phone) co_return phone.error();
  auto at = co_await now_text(context.fx);
  if (!at) co_return at.error();
  std::vector<SqlValue> params{SqlValue{*list}, SqlValue{*phone}, SqlValue{*at}};
  auto written = co_await context.fx.sql(
      "INSERT INTO lists (list, phone, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (list, phone) DO UPDATE SET updated_at = excluded.updated_at",
      std::move(params));
  if (!written) co_return written.error();
  json::object body{{"list", *list}, {"phone", *phone}};
  co_return co_await edited(context, message, *at, *list + ".put", *phone + " " + *at, std::move(body));
}

Task<ObjectReply> list_delete(ObjectContext& context, const json::object& message) {
  auto list = list_field(message);
  if (!list) co_return list.error();
  auto phone = phone_field(message);
  if (!phone) co_return phone.error();
  auto at = co_await now_text(context.fx);
  if (!at) co_return at.error();
  std::vector<SqlValue> params{SqlValue{*list}, SqlValue{*phone}};
  auto deleted =
      co_await context.fx.sql("DELETE FROM lists WHERE list = ? AND phone = ? RETURNING phone", std::move(params));
  if (!deleted) co_return deleted.error();
  if (deleted->rows.empty()) co_return make_error(ErrorCode::not_found, *phone + " is not on the " + *list + " list");
  json::object body{{"list", *list}, {"phone", *phone}};
  co_return co_await edited(context, message, *at, *list + ".delete", *phone + " " + *at, std::move(body));
}

Task<ObjectReply> identity(ObjectContext& context, const json::object& message) {
  std::vector<SqlValue> params;
  std::string sql = "SELECT id, phone, first_seen, last_seen, calls, messages FROM identities WHERE ";
  if (const auto id = field_text(message, "id"); !id.empty()) {
    sql += "id = ?";
    params.emplace_back(id);
  } else {
    auto phone = phone_field(message);
    if (!phone) co_return phone.error();
    sql += "phone = ?";
    params.emplace_back(*phone);
  }
  auto rows = co_await context.fx.sql(std::move(sql), std::move(params));
  if (!rows) co_return rows.error();
  if (rows->rows.empty()) co_return std::string(R"({"identity":null})");
  const auto& row = rows->rows[0];
  json::object found{{"id", text_of(row[0])},         {"phone", text_of(row[1])},
                     {"display", display_number(text_of(row[1]))},
                     {"first_seen", text_of(row[2])}, {"last_seen", text_of(row[3])},
                     {"calls", int_of(row[4])},       {"messages", int_of(row[5])}};
  co_return json::serialize(json::object{{"identity", std::move(found)}});
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
