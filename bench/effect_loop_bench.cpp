// The cost of driving a request through the effect loop natively, to compare with the
// same loop in V8 (bench/wasm-bench.mjs). The host here answers every effect instantly
// from memory, so what is measured is the core plus the step protocol, not storage.
#include <stdexcept>
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <map>

#include "core/encoding.hpp"
#include "core/runtime.hpp"
#include "core/session.hpp"

namespace {
namespace json = boost::json;
using namespace frontdesk;

// Answers effects from maps, as the JS bench's instant backend does.
struct InstantHost {
  std::map<std::string, std::string> kv;
  std::map<std::string, std::string> storage;
  std::string last_nonce;

  EffectOutput perform(const Effect& effect) {
    if (const auto* put = std::get_if<KvPut>(&effect)) {
      kv[put->key] = put->value;
      return std::monostate{};
    }
    if (const auto* get = std::get_if<KvGet>(&effect)) {
      const auto it = kv.find(get->key);
      return it == kv.end() ? std::optional<std::string>{} : std::optional<std::string>{it->second};
    }
    if (std::holds_alternative<Random>(effect)) return std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    if (const auto* call = std::get_if<ObjectCall>(&effect)) return object_call(*call);
    return std::monostate{};
  }

  // Runs the object's own session to completion, as a host would inside the object.
  std::string object_call(const ObjectCall& call);
  const App* app = nullptr;

  EffectOutput perform_in_object(const Effect& effect) {
    if (const auto* put = std::get_if<StoragePut>(&effect)) {
      storage[put->key] = put->value;
      return std::monostate{};
    }
    if (const auto* get = std::get_if<StorageGet>(&effect)) return std::optional<std::string>{storage[get->key]};
    if (const auto* sql = std::get_if<SqlExec>(&effect)) {
      if (!sql->params.empty()) last_nonce = std::get<std::string>(sql->params[0]);
      return SqlRows{{"nonce"}, {{SqlValue{last_nonce}}}};
    }
    return std::monostate{};
  }
};

std::string InstantHost::object_call(const ObjectCall& call) {
  auto session = Session::start(*app, ObjectInvocation{call.kind, call.id, call.message});
  while (!session->done()) {
    std::vector<EffectResult> results;
    for (auto& effect : session->take_effects()) results.push_back({effect.id, perform_in_object(effect.effect)});
    session->resume(std::move(results));
  }
  return session->reply().ok() ? session->reply().value() : std::string{};
}

App make_app() {
  auto app = App::create("{}", [](std::string_view) { return std::optional<std::string>{}; });
  return std::move(app.value());
}

Request deep_health() {
  Request request;
  request.method = "GET";
  request.path = "/health";
  request.query = "deep=1";
  return request;
}

// The C++ Session API, as the native harness drives it.
void BM_DeepHealth_Session(benchmark::State& state) {
  const auto app = make_app();
  InstantHost host;
  host.app = &app;
  std::int64_t steps = 0;
  for (auto _ : state) {
    auto session = Session::start(app, deep_health());
    ++steps;
    while (!session->done()) {
      std::vector<EffectResult> results;
      for (auto& effect : session->take_effects()) results.push_back({effect.id, host.perform(effect.effect)});
      session->resume(std::move(results));
      ++steps;
    }
    if (session->response().status != 200) state.SkipWithError("deep health failed");
  }
  state.counters["steps_per_request"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_DeepHealth_Session);

constexpr std::int64_t bench_now_ms = 1700000000000;

// Answers one JSON step output the way the Wasm hosts do: every effect, then one resume.
std::string answer(Runtime& runtime, const json::object& output, std::map<std::string, std::string>& kv,
                   std::map<std::string, std::string>& storage, std::string& last_nonce) {
  json::array results;
  for (const auto& item : output.at("effects").as_array()) {
    const auto& effect = item.as_object();
    const auto op = effect.at("op").as_string();
    json::object result{{"id", effect.at("id")}, {"ok", true}};
    if (op == "now") {
      result["value"] = bench_now_ms;
    } else if (op == "random") {
      result["value"] = base64_encode(std::string(static_cast<std::size_t>(effect.at("bytes").as_int64()), '\x2a'));
    } else if (op == "kv.put") {
      kv[std::string(effect.at("key").as_string())] = std::string(effect.at("value").as_string());
    } else if (op == "kv.get") {
      result["value"] = json::string(kv[std::string(effect.at("key").as_string())]);
    } else if (op == "object.call") {
      // The object's own session, driven through the same JSON protocol.
      json::object call{{"op", "object.call"},
                        {"kind", effect.at("kind")},
                        {"id", effect.at("object_id")},
                        {"message", effect.at("message")}};
      auto reply = json::parse(runtime.step(json::serialize(call))).as_object();
      while (!reply.contains("done")) {
        json::array inner;
        for (const auto& inner_item : reply.at("effects").as_array()) {
          const auto& e = inner_item.as_object();
          json::object r{{"id", e.at("id")}, {"ok", true}};
          const auto inner_op = e.at("op").as_string();
          if (inner_op == "storage.put") {
            storage[std::string(e.at("key").as_string())] = std::string(e.at("value").as_string());
          } else if (inner_op == "storage.get") {
            // An absent key is null (docs/wire.md), not "": a call object reads "call"
            // before it exists.
            const auto found = storage.find(std::string(e.at("key").as_string()));
            r["value"] = found == storage.end() ? json::value(nullptr) : json::value(json::string(found->second));
          } else if (inner_op == "now") {
            r["value"] = bench_now_ms;
          } else if (inner_op == "random") {
            r["value"] = base64_encode(std::string(static_cast<std::size_t>(e.at("bytes").as_int64()), '\x2a'));
          } else if (inner_op == "sql.exec" && call.at("kind") == "health") {
            // The deep health probe writes its nonce and reads it back.
            const auto& params = e.at("params").as_array();
            if (!params.empty() && params[0].is_string()) last_nonce = std::string(params[0].get_string());
            r["value"] = json::object{{"columns", json::array{"nonce"}},
                                      {"rows", json::array{json::array{json::string(last_nonce)}}}};
          } else if (inner_op == "sql.exec") {
            // Any other object (the ledger) finds nothing: every delivery is its first.
            r["value"] = json::object{{"columns", json::array{}}, {"rows", json::array{}}};
          }
          inner.push_back(std::move(r));
        }
        reply = json::parse(runtime.step(json::serialize(
                                json::object{{"op", "resume"}, {"session", reply.at("session")}, {"results", inner}})))
                    .as_object();
      }
      if (!reply.contains("reply")) throw std::runtime_error("object call failed: " + json::serialize(reply));
      result["value"] = reply.at("reply");
    }
    results.push_back(std::move(result));
  }
  return json::serialize(json::object{{"op", "resume"}, {"session", output.at("session")}, {"results", results}});
}

// The JSON step protocol, exactly what the Wasm builds run: the native side of the
// "effect loop in V8 vs native" comparison.
void BM_DeepHealth_StepProtocol(benchmark::State& state) {
  Runtime runtime(R"({"config":{},"env":{}})");
  std::map<std::string, std::string> kv;
  std::map<std::string, std::string> storage;
  std::string last_nonce;
  const std::string start = R"({"op":"request","request":{"method":"GET","path":"/health","query":"deep=1","headers":[],"body_b64":""}})";
  std::int64_t steps = 0;
  for (auto _ : state) {
    auto output = json::parse(runtime.step(start)).as_object();
    ++steps;
    while (!output.contains("done")) {
      output = json::parse(runtime.step(answer(runtime, output, kv, storage, last_nonce))).as_object();
      ++steps;
    }
    if (output.at("response").at("status").as_int64() != 200) state.SkipWithError("deep health failed");
  }
  state.counters["steps_per_request"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_DeepHealth_StepProtocol);

}  // namespace

// A whole signed webhook through the JSON step protocol against instant answers: the native
// side of bench/wasm-bench.mjs's ingress figures. Every SQL statement answers no rows, so
// the ledger also re-issues its schema on each call: this compares the two step loops
// like for like; bench/pipeline_bench.cpp measures the pipeline on real storage.
std::string bench_telnyx_step_input(std::string& init);

namespace {

void BM_TelnyxWebhook_StepProtocol(benchmark::State& state) {
  std::string init;
  const std::string start = bench_telnyx_step_input(init);
  Runtime runtime(init);
  std::map<std::string, std::string> kv;
  std::map<std::string, std::string> storage;
  std::string last_nonce;
  for (auto _ : state) {
    auto output = json::parse(runtime.step(start)).as_object();
    while (!output.contains("done")) {
      output = json::parse(runtime.step(answer(runtime, output, kv, storage, last_nonce))).as_object();
    }
    if (output.at("response").at("status").as_int64() != 200) state.SkipWithError("webhook not accepted");
  }
}
BENCHMARK(BM_TelnyxWebhook_StepProtocol);

void BM_ShallowHealth_StepProtocol(benchmark::State& state) {
  Runtime runtime(R"({"config":{},"env":{}})");
  const std::string start = R"({"op":"request","request":{"method":"GET","path":"/health","query":"","headers":[],"body_b64":""}})";
  for (auto _ : state) benchmark::DoNotOptimize(runtime.step(start));
}
BENCHMARK(BM_ShallowHealth_StepProtocol);

}  // namespace

BENCHMARK_MAIN();
