#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "core/encoding.hpp"
#include "core/runtime.hpp"

using namespace frontdesk;
namespace json = boost::json;

namespace {

json::object step(Runtime& runtime, std::string_view input) {
  return json::parse(runtime.step(input)).as_object();
}

std::string body_of(const json::object& output) {
  return *base64_decode(output.at("response").at("body_b64").as_string());
}

}  // namespace

TEST_CASE("a request that needs no effect is answered in its first step") {
  Runtime runtime(R"({"config":{},"env":{}})");
  const auto out = step(runtime, R"({"op":"request","request":{"method":"GET","path":"/health","query":"","headers":[["Accept","*/*"]],"body_b64":""}})");
  CHECK(out.at("done").as_bool());
  CHECK(out.at("response").at("status").as_int64() == 200);
  CHECK(body_of(out) == R"({"status":"ok","version":"0.1.0","target":"native"})");
  CHECK(runtime.open_sessions() == 0);
}

TEST_CASE("effects go out as JSON and results come back by id, in any order") {
  Runtime runtime(R"({"config":{}})");
  auto out = step(runtime, R"({"op":"request","request":{"method":"GET","path":"/health","query":"deep=1"}})");
  CHECK(json::serialize(out) == R"({"session":1,"effects":[{"id":1,"op":"random","bytes":8}]})");

  out = step(runtime, R"({"op":"resume","session":1,"results":[{"id":1,"ok":true,"value":"AQIDBAUGBwg="}]})");
  CHECK(json::serialize(out) ==
        R"({"session":1,"effects":[{"id":2,"op":"kv.put","key":"frontdesk:health:probe:0102030405060708","value":"0102030405060708","ttl_s":60},)"
        R"({"id":3,"op":"object.call","kind":"health","object_id":"probe","message":"{\"check\":\"storage\",\"nonce\":\"0102030405060708\"}"},)"
        R"({"id":4,"op":"object.call","kind":"health","object_id":"probe","message":"{\"check\":\"sql\",\"nonce\":\"0102030405060708\"}"}]})");

  // Two results now, one later: the session waits for every effect it asked for.
  out = step(runtime, R"({"op":"resume","session":1,"results":[{"id":4,"ok":true,"value":"0102030405060708"},{"id":2,"ok":true,"value":null}]})");
  CHECK(json::serialize(out) ==
        R"({"session":1,"effects":[{"id":5,"op":"kv.get","key":"frontdesk:health:probe:0102030405060708"}]})");
  out = step(runtime, R"({"op":"resume","session":1,"results":[{"id":3,"ok":false,"error":{"code":"storage_unavailable","message":"disk"}}]})");
  CHECK(json::serialize(out) == R"({"session":1,"effects":[]})");
  out = step(runtime, R"({"op":"resume","session":1,"results":[{"id":5,"ok":true,"value":"0102030405060708"}]})");
  CHECK(out.at("response").at("status").as_int64() == 503);
  CHECK(body_of(out) ==
        R"({"status":"degraded","version":"0.1.0","target":"native","checks":{"kv":{"ok":true},"objects":{"ok":false,"error":"storage_unavailable"},"sql":{"ok":true}}})");
  CHECK(runtime.open_sessions() == 0);
}

TEST_CASE("an object call runs as its own session and replies") {
  Runtime runtime(R"({"config":{}})");
  auto out = step(runtime, R"({"op":"object.call","kind":"health","object_id":"probe","message":"{\"check\":\"storage\",\"nonce\":\"n1\"}"})");
  CHECK(json::serialize(out) ==
        R"({"session":1,"effects":[{"id":1,"op":"storage.put","key":"health:probe","value":"n1"}]})");
  out = step(runtime, R"({"op":"resume","session":1,"results":[{"id":1,"ok":true}]})");
  out = step(runtime, R"({"op":"resume","session":1,"results":[{"id":2,"ok":true,"value":"n1"}]})");
  CHECK(json::serialize(out) == R"({"session":1,"done":true,"reply":"n1"})");
}

TEST_CASE("SQL rows decode integers, reals, text, nulls and blobs") {
  Runtime runtime(R"({"config":{}})");
  step(runtime, R"({"op":"object.call","kind":"health","object_id":"probe","message":"{\"check\":\"sql\",\"nonce\":\"n\"}"})");
  step(runtime, R"({"op":"resume","session":1,"results":[{"id":1,"ok":true,"value":{"columns":[],"rows":[]}}]})");
  const auto insert = step(runtime, R"({"op":"resume","session":1,"results":[{"id":2,"ok":true,"value":{"columns":[],"rows":[]}}]})");
  CHECK(insert.at("effects").at(0).at("sql").as_string() == "SELECT nonce FROM health_probe WHERE id = 1");
  // A first cell that is not text reads as no nonce: the check then fails as a mismatch.
  const auto out = step(runtime, R"({"op":"resume","session":1,"results":[{"id":3,"ok":true,"value":{"columns":["nonce"],"rows":[[{"b64":"bg=="},1,2.5,null,"t"]]}}]})");
  CHECK(json::serialize(out) == R"({"session":1,"done":true,"reply":""})");
}

TEST_CASE("bad step inputs are answered with an error, never a crash") {
  Runtime runtime(R"({"config":{}})");
  CHECK(runtime.step("not json") == R"({"error":{"code":"malformed_body","message":"step input is not a JSON object"}})");
  CHECK(runtime.step(R"({"op":"fly"})") == R"({"error":{"code":"malformed_body","message":"unknown step op 'fly'"}})");
  CHECK(runtime.step(R"({"op":"resume","session":9,"results":[]})") ==
        R"({"error":{"code":"not_found","message":"no open session 9"}})");
  CHECK(runtime.step(R"({"op":"request","request":{"method":"GET"}})") ==
        R"({"error":{"code":"malformed_body","message":"request needs method and path"}})");
  CHECK(runtime.step(R"({"op":"request","request":{"method":"GET","path":"/","body_b64":"!!"}})") ==
        R"({"error":{"code":"malformed_body","message":"body_b64 is not base64"}})");

  step(runtime, R"({"op":"request","request":{"method":"GET","path":"/health","query":"deep=1"}})");
  CHECK(runtime.step(R"({"op":"resume","session":1,"results":[{"id":7,"ok":true}]})") ==
        R"({"error":{"code":"malformed_body","message":"result for an unknown effect"}})");
  CHECK(runtime.step(R"({"op":"resume","session":1,"results":[{"id":1,"ok":true,"value":"AQI="}]})") ==
        R"({"error":{"code":"malformed_body","message":"random value must be base64 of the asked length"}})");
  CHECK(runtime.open_sessions() == 1);
  CHECK(runtime.step(R"({"op":"abort","session":1})") == R"({"session":1,"done":true})");
  CHECK(runtime.open_sessions() == 0);
}

TEST_CASE("a configuration that is not an object answers every request 500 internal") {
  Runtime runtime(R"({"config":"[1,2]"})");
  const auto out = step(runtime, R"({"op":"request","request":{"method":"GET","path":"/health"}})");
  CHECK(out.at("response").at("status").as_int64() == 500);
  CHECK(body_of(out) ==
        R"({"error":{"code":"internal","message":"configuration invalid: configuration must be a JSON object"}})");
}
