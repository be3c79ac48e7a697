#include "health.hpp"

#include <boost/json.hpp>

#include "../encoding.hpp"
#include "../json.hpp"
#include "../objects/health_probe.hpp"

namespace frontdesk::routes {
namespace json = boost::json;
namespace {

// Each probe writes its own key: with one shared key, concurrent deep checks overwrote
// each other's nonce and reported a healthy KV as broken. The key expires after 60 s,
// the shortest TTL Workers KV allows.
constexpr std::string_view kv_probe_prefix = "frontdesk:health:probe:";
constexpr std::int64_t kv_probe_ttl_s = 60;

json::object check_passed() { return json::object{{"ok", true}}; }

// A failed check names only its error code: host messages differ between targets and
// may carry internals.
json::object check_failed(ErrorCode code) {
  return json::object{{"ok", false}, {"error", error_code_name(code)}};
}

json::object check_mismatch() { return json::object{{"ok", false}, {"error", "read_mismatch"}}; }

Task<json::object> check_kv(Fx& fx, std::string nonce) {
  const std::string key = std::string(kv_probe_prefix) + nonce;
  if (auto put = co_await fx.kv_put(key, nonce, kv_probe_ttl_s); !put) co_return check_failed(put.error().code);
  auto read = co_await fx.kv_get(key);
  if (!read) co_return check_failed(read.error().code);
  co_return *read == nonce ? check_passed() : check_mismatch();
}

Task<json::object> check_object(Fx& fx, std::string_view check, const std::string& nonce) {
  const auto message = json::serialize(json::object{{"check", check}, {"nonce", nonce}});
  auto reply = co_await fx.object_call(std::string(objects::health_probe_kind), std::string(objects::health_probe_id),
                                       message);
  if (!reply) co_return check_failed(reply.error().code);
  co_return *reply == nonce ? check_passed() : check_mismatch();
}

}  // namespace

Task<Response> health(RequestContext& context) {
  json::object body{{"status", "ok"}, {"version", context.app.version()}, {"target", context.app.target()}};
  const auto params = context.request.query_params();
  const auto deep = find_param(params, "deep");
  if (!deep || *deep == "0" || *deep == "false") {
    auto response = json_response(200, body);
    response.headers.add("cache-control", "no-store");
    co_return response;
  }

  auto random = co_await context.fx.random(8);
  if (!random) co_return error_response(random.error());
  const auto nonce = hex_encode(*random);
  auto [kv, objects, sql] = co_await when_all(check_kv(context.fx, nonce), check_object(context.fx, "storage", nonce),
                                              check_object(context.fx, "sql", nonce));
  const bool healthy = kv["ok"].as_bool() && objects["ok"].as_bool() && sql["ok"].as_bool();
  body["status"] = healthy ? "ok" : "degraded";
  body["checks"] = json::object{{"kv", std::move(kv)}, {"objects", std::move(objects)}, {"sql", std::move(sql)}};
  auto response = json_response(healthy ? 200 : 503, body);
  response.headers.add("cache-control", "no-store");
  co_return response;
}

}  // namespace frontdesk::routes
