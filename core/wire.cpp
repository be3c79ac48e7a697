#include "wire.hpp"

#include <boost/json.hpp>
#include <limits>

#include "encoding.hpp"

namespace frontdesk::wire {
namespace json = boost::json;
namespace {

Error malformed(std::string message) { return make_error(ErrorCode::malformed_body, std::move(message)); }

json::array encode_headers(const Headers& headers) {
  json::array out;
  for (const auto& [name, value] : headers.entries()) out.push_back(json::array{json::string(name), json::string(value)});
  return out;
}

Result<Headers> decode_headers(const json::value* value) {
  Headers headers;
  if (!value) return headers;
  const auto* list = value->if_array();
  if (!list) return malformed("headers must be a list of [name, value] pairs");
  for (const auto& entry : *list) {
    const auto* pair = entry.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) {
      return malformed("headers must be a list of [name, value] pairs");
    }
    headers.add(std::string((*pair)[0].get_string()), std::string((*pair)[1].get_string()));
  }
  return headers;
}

const json::string* string_field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value ? value->if_string() : nullptr;
}

using Base64Decoder = std::optional<std::string> (*)(std::string_view);

// HTTP bodies are not secret and may be large: base64_decode_public. SQL blobs may hold key
// material: libsodium's constant-time base64_decode.
Result<std::string> decode_b64_field(const json::object& object, std::string_view name,
                                     Base64Decoder decode = base64_decode_public) {
  const auto* text = string_field(object, name);
  if (!text) return std::string{};
  auto bytes = decode(*text);
  if (!bytes) return malformed(std::string(name) + " is not base64");
  return std::move(*bytes);
}

json::value encode_sql_value(const SqlValue& value) {
  return std::visit(
      [](const auto& v) -> json::value {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<V, SqlBlob>) {
          return json::object{{"b64", base64_encode(v.bytes)}};
        } else {
          return json::value(v);
        }
      },
      value);
}

Result<SqlValue> decode_sql_value(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return SqlValue{};
    case json::kind::int64:
      return SqlValue{value.get_int64()};
    case json::kind::uint64:
      if (value.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return malformed("SQL integer out of range");
      }
      return SqlValue{static_cast<std::int64_t>(value.get_uint64())};
    case json::kind::double_:
      return SqlValue{value.get_double()};
    case json::kind::string:
      return SqlValue{std::string(value.get_string())};
    case json::kind::object: {
      auto bytes = decode_b64_field(value.get_object(), "b64", base64_decode);
      if (!bytes) return bytes.error();
      return SqlValue{SqlBlob{std::move(*bytes)}};
    }
    default:
      return malformed("unsupported SQL value");
  }
}

Result<EffectOutput> optional_string(const json::value& value) {
  if (value.is_null()) return EffectOutput{std::optional<std::string>{}};
  if (const auto* s = value.if_string()) return EffectOutput{std::optional<std::string>{std::string(*s)}};
  return malformed("expected a string or null");
}

Result<EffectOutput> plain_string(const json::value& value) {
  if (const auto* s = value.if_string()) return EffectOutput{std::string(*s)};
  return malformed("expected a string");
}

Result<EffectOutput> decode_kv_page(const json::value& value) {
  const auto* object = value.if_object();
  const auto* keys = object ? object->if_contains("keys") : nullptr;
  if (!keys || !keys->is_array()) return malformed("kv.list value needs keys");
  KvListPage page;
  for (const auto& key : keys->get_array()) {
    if (!key.is_string()) return malformed("kv.list keys must be strings");
    page.keys.emplace_back(key.get_string());
  }
  if (const auto* cursor = string_field(*object, "cursor")) page.cursor = std::string(*cursor);
  return EffectOutput{std::move(page)};
}

Result<EffectOutput> decode_storage_entries(const json::value& value) {
  const auto* list = value.if_array();
  if (!list) return malformed("storage.list value must be a list");
  StorageEntries entries;
  for (const auto& entry : *list) {
    const auto* pair = entry.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) {
      return malformed("storage.list entries must be [key, value] strings");
    }
    entries.emplace_back(std::string((*pair)[0].get_string()), std::string((*pair)[1].get_string()));
  }
  return EffectOutput{std::move(entries)};
}

Result<EffectOutput> decode_sql_rows(const json::value& value) {
  const auto* object = value.if_object();
  if (!object) return malformed("sql.exec value must be an object");
  SqlRows rows;
  if (const auto* columns = object->if_contains("columns"); columns && columns->is_array()) {
    for (const auto& column : columns->get_array()) {
      if (!column.is_string()) return malformed("column names must be strings");
      rows.columns.emplace_back(column.get_string());
    }
  }
  if (const auto* list = object->if_contains("rows"); list && list->is_array()) {
    for (const auto& row : list->get_array()) {
      if (!row.is_array()) return malformed("rows must be lists");
      auto& cells = rows.rows.emplace_back();
      for (const auto& cell : row.get_array()) {
        auto decoded = decode_sql_value(cell);
        if (!decoded) return decoded.error();
        cells.push_back(std::move(*decoded));
      }
    }
  }
  return EffectOutput{std::move(rows)};
}

Result<EffectOutput> decode_fetch_response(const json::value& value) {
  const auto* object = value.if_object();
  const auto* status = object ? object->if_contains("status") : nullptr;
  if (!status || !status->is_int64()) return malformed("fetch value needs an integer status");
  FetchResponse response;
  response.status = static_cast<int>(status->get_int64());
  auto headers = decode_headers(object->if_contains("headers"));
  if (!headers) return headers.error();
  response.headers = std::move(*headers);
  auto body = decode_b64_field(*object, "body_b64");
  if (!body) return body.error();
  response.body = std::move(*body);
  if (const auto* elapsed = object->if_contains("elapsed_ms")) {
    if (!elapsed->is_int64() || elapsed->get_int64() < 0) return malformed("fetch elapsed_ms must be a whole number");
    response.elapsed_ms = elapsed->get_int64();
  }
  return EffectOutput{std::move(response)};
}

Result<EffectOutput> decode_now(const json::value& value) {
  if (value.is_int64()) return EffectOutput{value.get_int64()};
  if (value.is_double()) return EffectOutput{static_cast<std::int64_t>(value.get_double())};
  return malformed("now value must be a number");
}

Result<EffectOutput> decode_random(const json::value& value, std::uint32_t expected) {
  const auto* text = value.if_string();
  auto bytes = text ? base64_decode(*text) : std::nullopt;
  if (!bytes || bytes->size() != expected) return malformed("random value must be base64 of the asked length");
  return EffectOutput{std::move(*bytes)};
}

struct EffectEncoder {
  json::object& out;
  void operator()(const KvGet& e) const { out["key"] = e.key; }
  void operator()(const KvPut& e) const {
    out["key"] = e.key;
    out["value"] = e.value;
    if (e.ttl_s) out["ttl_s"] = *e.ttl_s;
  }
  void operator()(const KvDelete& e) const { out["key"] = e.key; }
  void operator()(const KvList& e) const {
    out["prefix"] = e.prefix;
    out["cursor"] = e.cursor;
    out["limit"] = e.limit;
  }
  void operator()(const ObjectCall& e) const {
    out["kind"] = e.kind;
    out["object_id"] = e.id;  // "id" is the effect's own
    out["message"] = e.message;
  }
  void operator()(const StorageGet& e) const { out["key"] = e.key; }
  void operator()(const StoragePut& e) const {
    out["key"] = e.key;
    out["value"] = e.value;
  }
  void operator()(const StorageDelete& e) const { out["key"] = e.key; }
  void operator()(const StorageList& e) const {
    out["prefix"] = e.prefix;
    out["start_after"] = e.start_after;
    out["limit"] = e.limit;
  }
  void operator()(const SqlExec& e) const {
    out["sql"] = e.sql;
    json::array params;
    for (const auto& p : e.params) params.push_back(encode_sql_value(p));
    out["params"] = std::move(params);
  }
  void operator()(const AlarmSet& e) const { out["at_ms"] = e.at_ms; }
  void operator()(const FetchRequest& e) const {
    out["method"] = e.method;
    out["url"] = e.url;
    out["headers"] = encode_headers(e.headers);
    out["body_b64"] = base64_encode_public(e.body);
    if (e.timeout_ms) out["timeout_ms"] = *e.timeout_ms;
    if (e.public_only) out["public_only"] = true;
  }
  void operator()(const Now&) const {}
  void operator()(const Random& e) const { out["bytes"] = e.bytes; }
  void operator()(const Log& e) const { out["record"] = e.record; }
  void operator()(const LivePublish& e) const {
    json::array messages;
    for (const auto& message : e.messages) messages.push_back(json::object{{"type", message.type}, {"body", message.body}});
    out["messages"] = std::move(messages);
  }
};

}  // namespace

json::value encode_effect(const PendingEffect& effect) {
  json::object out;
  out["id"] = effect.id;
  out["op"] = effect_name(effect.effect);
  std::visit(EffectEncoder{out}, effect.effect);
  return out;
}

json::value encode_response(const Response& response) {
  return json::object{{"status", response.status},
                      {"headers", encode_headers(response.headers)},
                      {"body_b64", base64_encode_public(response.body)}};
}

json::object encode_error(const Error& error) {
  return json::object{{"code", error_code_name(error.code)}, {"message", error.message}};
}

Result<Request> decode_request(const json::value& value) {
  const auto* object = value.if_object();
  if (!object) return malformed("request must be an object");
  const auto* method = string_field(*object, "method");
  const auto* path = string_field(*object, "path");
  if (!method || !path) return malformed("request needs method and path");
  Request request;
  request.method = std::string(*method);
  request.path = std::string(*path);
  if (const auto* query = string_field(*object, "query")) request.query = std::string(*query);
  auto headers = decode_headers(object->if_contains("headers"));
  if (!headers) return headers.error();
  request.headers = std::move(*headers);
  auto body = decode_b64_field(*object, "body_b64");
  if (!body) return body.error();
  request.body = std::move(*body);
  return request;
}

Result<EffectOutput> decode_output(const Effect& effect, const json::value& value) {
  return std::visit(
      [&](const auto& e) -> Result<EffectOutput> {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, KvGet> || std::is_same_v<E, StorageGet>) {
          return optional_string(value);
        } else if constexpr (std::is_same_v<E, KvList>) {
          return decode_kv_page(value);
        } else if constexpr (std::is_same_v<E, ObjectCall>) {
          return plain_string(value);
        } else if constexpr (std::is_same_v<E, StorageList>) {
          return decode_storage_entries(value);
        } else if constexpr (std::is_same_v<E, SqlExec>) {
          return decode_sql_rows(value);
        } else if constexpr (std::is_same_v<E, FetchRequest>) {
          return decode_fetch_response(value);
        } else if constexpr (std::is_same_v<E, Now>) {
          return decode_now(value);
        } else if constexpr (std::is_same_v<E, Random>) {
          return decode_random(value, e.bytes);
        } else {
          return EffectOutput{std::monostate{}};
        }
      },
      effect);
}

Error decode_error(const json::value& value) {
  Error error{ErrorCode::internal, "effect failed"};
  const auto* object = value.if_object();
  if (!object) return error;
  if (const auto* code = string_field(*object, "code")) parse_error_code(*code, error.code);
  if (const auto* message = string_field(*object, "message")) error.message = std::string(*message);
  return error;
}

}  // namespace frontdesk::wire
