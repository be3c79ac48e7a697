#include "health_probe.hpp"

#include <boost/json.hpp>

namespace frontdesk::objects {
namespace json = boost::json;
namespace {

Task<ObjectReply> probe_storage(Fx& fx, std::string nonce) {
  FRONTDESK_CO_CHECK(co_await fx.storage_put("health:probe", nonce));
  FRONTDESK_CO_TRY(auto read, co_await fx.storage_get("health:probe"));
  co_return read.value_or(std::string{});
}

Task<ObjectReply> probe_sql(Fx& fx, std::string nonce) {
  FRONTDESK_CO_CHECK(co_await fx.sql(
      "CREATE TABLE IF NOT EXISTS health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), nonce TEXT NOT NULL)"));
  // Built outside the co_await: GCC 12 miscompiles braced lists inside one.
  std::vector<SqlValue> params{SqlValue{nonce}};
  FRONTDESK_CO_CHECK(
      co_await fx.sql("INSERT OR REPLACE INTO health_probe (id, nonce) VALUES (1, ?)", std::move(params)));
  FRONTDESK_CO_TRY(auto read, co_await fx.sql("SELECT nonce FROM health_probe WHERE id = 1"));
  if (read.rows.size() != 1 || read.rows[0].size() != 1) co_return std::string{};
  const auto* value = std::get_if<std::string>(&read.rows[0][0]);
  co_return value ? *value : std::string{};
}

}  // namespace

Task<ObjectReply> health_probe_call(ObjectContext& context, std::string_view message) {
  json::error_code ec;
  const auto parsed = json::parse(message, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* check = object ? object->if_contains("check") : nullptr;
  const auto* nonce = object ? object->if_contains("nonce") : nullptr;
  if (!check || !check->is_string() || !nonce || !nonce->is_string()) {
    co_return make_error(ErrorCode::malformed_body, "health probe needs check and nonce");
  }
  const std::string nonce_text(nonce->get_string());
  if (check->get_string() == "storage") co_return co_await probe_storage(context.fx, nonce_text);
  if (check->get_string() == "sql") co_return co_await probe_sql(context.fx, nonce_text);
  co_return make_error(ErrorCode::malformed_body, "unknown health check");
}

}  // namespace frontdesk::objects
