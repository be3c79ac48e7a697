// The whole call.initiated pipeline per delivery (docs/reception.md): verify → normalize →
// one ledger `receive` (dedupe, screening, call state, audit entry, queued commands) → 200, on the real native Host: Host + Store on a temporary SQLite database,
// the io_context run until the response is done (bench/bench_host.hpp, shared with
// bench/api_bench.cpp).
//
// Every delivery is a new call (fresh call_control_id and data.id); its Ed25519 signature
// is made outside the timed region (batches of pre-signed requests), since signing is the
// provider's cost. The tenant is configured like tests/scenarios/targets.mjs's
// receptionConfig (registry, allow, block, known-only); a Telnyx provider is configured so
// the decision's commands are queued, but its base_url is never contacted: the host's
// alarms are stopped, so the outbound queue is never sent.
//
//   BM_Pipeline_Host_New/<dir>         a fresh unknown caller: rejected with a message
//                                      (answer + speak queued, audit entry)
//   BM_Pipeline_Host_Registered/<dir>  a fresh caller registered beforehand (registry_put
//                                      outside the timed region): authenticated, answered
//   BM_Pipeline_Host_Duplicate/<dir>   the same delivery again (a provider retry)
// <dir>: "disk" puts the databases under the system temp directory (the host's real
// PRAGMA synchronous=FULL, so fsyncs); "tmpfs" under /dev/shm (fsync is free there), which
// is the fair comparison with the in-memory SQLite of the JS hosts.
//
//   BM_Pipeline_StepProtocol_MemorySqlite_{New,Registered,Duplicate}
// the same deliveries through the JSON step protocol (core/runtime.hpp, the very code the
// Wasm builds run) with effects answered the way tests/js/wasi-host.mjs answers them: KV
// in a map, each object an in-memory SQLite database (the host's own ObjectDatabase) with
// one transaction per call. This is the native side of bench/pipeline-wasm-bench.mjs;
// steps_per_delivery counts its steps.
//
// After each run the ledger's audit_verify must pass with one decision per call (plus one
// entry per registry edit), so a run that skipped work fails instead of looking fast.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "bench_host.hpp"
#include "core/encoding.hpp"
#include "core/runtime.hpp"

namespace {
namespace json = boost::json;
using namespace frontdesk;
using namespace frontdesk::bench;

constexpr std::string_view occurred_at = "2023-11-14T22:13:20.000000Z";

// tests/scenarios/deliveries.mjs
constexpr std::string_view our_number = "+18886115384";
constexpr std::string_view registered = "+15555550123";
constexpr std::string_view allowed = "+15555550124";
constexpr std::string_view blocked = "+15555550666";

// Deliveries signed per batch; signing stays outside the timed region.
constexpr std::size_t batch_size = 512;

struct Keys {
  std::string public_key = std::string(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key = std::string(crypto_sign_SECRETKEYBYTES, '\0');
  Keys() {
    if (sodium_init() < 0) fail("sodium_init failed");
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                        reinterpret_cast<unsigned char*>(secret_key.data()));
  }
};

const Keys& keys() {
  static const Keys k;
  return k;
}

// receptionConfig of tests/scenarios/targets.mjs, Telnyx only; the provider's base_url is
// a closed local port that nothing ever sends to (no alarm fires).
std::string config_json() {
  const json::object config{
      {"sources",
       {{"telnyx", {{"kind", "telnyx"}, {"public_keys", {base64_encode(keys().public_key)}}, {"tolerance_s", 300}}}}},
      {"tenants",
       {{"acme",
         {{"numbers", {our_number}},
          {"registry", {{registered, "alice.x"}}},
          {"allow", {allowed}},
          {"block", {blocked}},
          {"policy",
           {{"screening", "known-only"},
            {"reject_message", "Known callers only. Text us & we call back in < 1 hour."},
            {"auto_reply", {{{"when", {{"priority", "urgent"}}}, {"text", "We got your message."}}}},
            {"auto_reply_window_s", 3600}}}}}}},
      {"providers",
       {{"telnyx",
         {{"api_key", "KEYfake-telnyx-api-key-for-benchmarks-0001"},
          {"base_url", "http://127.0.0.1:9"},
          {"voice", "female"},
          {"language", "en-US"}}}}},
      {"outbound", {{"max_attempts", 3}, {"base_delay_ms", 200}, {"max_delay_ms", 1000}}},
  };
  return json::serialize(config);
}

// A unique call (and caller, for the fresh-caller variants) per delivery, across the run.
std::uint64_t next_serial() {
  static std::uint64_t serial = 0;
  return ++serial;
}

// +1 555 NXX XXXX with N in 2–9 (a valid NANP number), as freshNumber() in the scenarios.
std::string fresh_caller(std::uint64_t serial) { return "+1555" + std::to_string(2000000 + serial % 8000000); }

// A Telnyx call.initiated as tests/scenarios/deliveries.mjs builds it, with STIR/SHAKEN.
std::string call_initiated_body(std::string_view ccid, std::string_view event_id, std::string_view from) {
  const json::object body{
      {"data",
       {{"record_type", "event"},
        {"event_type", "call.initiated"},
        {"id", event_id},
        {"occurred_at", occurred_at},
        {"payload",
         {{"call_control_id", ccid},
          {"call_leg_id", "leg-" + std::string(ccid)},
          {"call_session_id", "session-" + std::string(ccid)},
          {"connection_id", "1684641123236054244"},
          {"from", from},
          {"to", our_number},
          {"direction", "incoming"},
          {"state", "parked"},
          {"shaken_stir_attestation", "A"},
          {"shaken_stir_validated", true}}}}},
      {"meta", {{"attempt", 1}, {"delivered_to", "https://reception.example.com/webhooks/telnyx"}}}};
  return json::serialize(body);
}

struct Delivery {
  std::string caller;
  Request request;
};

Delivery signed_delivery(std::uint64_t serial, std::string caller) {
  char id[64];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(serial));
  const std::string ccid = "v3:bench-" + std::string(id);
  const std::string event_id = "0ccc7b54-4df3-4bca-" + std::string(id);
  Delivery delivery;
  auto& request = delivery.request;
  request.method = "POST";
  request.path = "/webhooks/telnyx";
  request.body = call_initiated_body(ccid, event_id, caller);
  const auto ts = std::to_string(now_s);
  const auto message = ts + "|" + request.body;
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(keys().secret_key.data()));
  request.headers.add("content-type", "application/json");
  request.headers.add("telnyx-timestamp", ts);
  request.headers.add("telnyx-signature-ed25519", base64_encode(signature));
  delivery.caller = std::move(caller);
  return delivery;
}

// batch_size new calls, each from a fresh caller, so no caller's history (and the
// screening query over it) grows with the run.
std::vector<Delivery> signed_batch() {
  std::vector<Delivery> batch;
  batch.reserve(batch_size);
  for (std::size_t i = 0; i < batch_size; ++i) {
    const auto serial = next_serial();
    batch.push_back(signed_delivery(serial, fresh_caller(serial)));
  }
  return batch;
}

// The webhook's acknowledgement, checked: 200 {"ok":true,…,"duplicate":<duplicate>}.
bool acknowledged(const Response& response, bool duplicate) {
  return response.status == 200 &&
         response.body.find(duplicate ? R"("duplicate":true)" : R"("duplicate":false)") != std::string::npos;
}

enum class Caller { unknown, in_registry };

void register_callers(NativeHost& host, const std::vector<Delivery>& batch) {
  for (const auto& delivery : batch) {
    host.ledger(json::object{{"op", "registry_put"}, {"phone", delivery.caller}, {"namespace", "bench.x"}});
  }
}

// The work was done: the audit chain verifies and holds the expected entries (a decision
// per call, an entry per registry edit).
void check_audit(benchmark::State& state, NativeHost& host, std::int64_t expected) {
  const auto reply = json::parse(host.ledger(json::object{{"op", "audit_verify"}})).as_object();
  if (!reply.at("ok").as_bool() || reply.at("entries").as_int64() != expected) {
    state.SkipWithError(("audit_verify: " + json::serialize(reply) + ", expected " + std::to_string(expected)).c_str());
  }
}

void run_new_calls(benchmark::State& state, Dir dir, Caller caller) {
  try {
    NativeHost host(dir, config_json());
    // Outside the timing: the ledger's tables are created by the first delivery.
    if (!acknowledged(host.deliver(signed_delivery(next_serial(), std::string(registered)).request), false)) {
      return state.SkipWithError("the warm-up delivery was not acknowledged");
    }
    std::int64_t registry_edits = 0;
    auto batch = signed_batch();
    if (caller == Caller::in_registry) {
      register_callers(host, batch);
      registry_edits += static_cast<std::int64_t>(batch.size());
    }
    std::size_t next = 0;
    for (auto _ : state) {
      if (next == batch.size()) {
        state.PauseTiming();
        batch = signed_batch();
        if (caller == Caller::in_registry) {
          register_callers(host, batch);
          registry_edits += static_cast<std::int64_t>(batch.size());
        }
        next = 0;
        state.ResumeTiming();
      }
      const auto response = host.deliver(std::move(batch[next++].request));
      if (!acknowledged(response, false)) {
        return state.SkipWithError(
            ("not acknowledged: " + std::to_string(response.status) + " " + response.body).c_str());
      }
    }
    check_audit(state, host, 1 + static_cast<std::int64_t>(state.iterations()) + registry_edits);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}

void BM_Pipeline_Host_New(benchmark::State& state, Dir dir) { run_new_calls(state, dir, Caller::unknown); }
void BM_Pipeline_Host_Registered(benchmark::State& state, Dir dir) { run_new_calls(state, dir, Caller::in_registry); }

void BM_Pipeline_Host_Duplicate(benchmark::State& state, Dir dir) {
  try {
    NativeHost host(dir, config_json());
    const auto delivery = signed_delivery(next_serial(), fresh_caller(next_serial()));
    if (!acknowledged(host.deliver(delivery.request), false)) return state.SkipWithError("first delivery failed");
    for (auto _ : state) {
      const auto response = host.deliver(delivery.request);
      if (!acknowledged(response, true)) {
        return state.SkipWithError(
            ("not a duplicate: " + std::to_string(response.status) + " " + response.body).c_str());
      }
    }
    check_audit(state, host, 1);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}

BENCHMARK_CAPTURE(BM_Pipeline_Host_New, disk, Dir::disk)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline_Host_New, tmpfs, Dir::tmpfs)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline_Host_Registered, disk, Dir::disk)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline_Host_Registered, tmpfs, Dir::tmpfs)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline_Host_Duplicate, disk, Dir::disk)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline_Host_Duplicate, tmpfs, Dir::tmpfs)->Unit(benchmark::kMicrosecond)->UseRealTime();

// ---- The JSON step protocol with in-memory SQLite objects (tests/js/wasi-host.mjs natively) ----

bool acknowledged(const json::object& output, bool duplicate) {
  const auto* response = output.if_contains("response");
  if (!response || response->at("status").as_int64() != 200) return false;
  auto body = base64_decode(response->at("body_b64").as_string());
  return body && body->find(duplicate ? R"("duplicate":true)" : R"("duplicate":false)") != std::string::npos;
}

std::vector<json::object> step_inputs(const std::vector<Delivery>& batch) {
  std::vector<json::object> inputs;
  inputs.reserve(batch.size());
  for (const auto& delivery : batch) inputs.push_back(step_input(delivery.request));
  return inputs;
}

// A batch of fresh deliveries as step inputs; their callers put in the registry first
// when the variant wants them known.
std::vector<json::object> memory_batch(MemoryHost& host, Caller caller) {
  auto batch = signed_batch();
  if (caller == Caller::in_registry) {
    for (const auto& delivery : batch) {
      const auto reply =
          host.call_object("ledger", "acme",
                           json::string(json::serialize(json::object{
                               {"op", "registry_put"}, {"phone", delivery.caller}, {"namespace", "bench.x"}})));
      if (!reply.contains("reply")) fail("registry_put failed: " + json::serialize(reply));
    }
  }
  return step_inputs(batch);
}

void check_audit(benchmark::State& state, MemoryHost& host, std::int64_t expected) {
  const auto output = host.call_object("ledger", "acme", json::string(R"({"op":"audit_verify"})"));
  const auto reply = json::parse(output.at("reply").as_string()).as_object();
  if (!reply.at("ok").as_bool() || reply.at("entries").as_int64() != expected) {
    state.SkipWithError(("audit_verify: " + json::serialize(reply) + ", expected " + std::to_string(expected)).c_str());
  }
}

void run_memory_new_calls(benchmark::State& state, Caller caller) {
  try {
    Runtime runtime(runtime_init(config_json()));
    MemoryHost host(runtime);
    if (!acknowledged(host.drive(step_input(signed_delivery(next_serial(), std::string(registered)).request), nullptr),
                      false)) {
      return state.SkipWithError("the warm-up delivery was not acknowledged");
    }
    const auto registry_edits = [&] {
      return caller == Caller::in_registry ? static_cast<std::int64_t>(batch_size) : std::int64_t{0};
    };
    std::int64_t edits = registry_edits();
    auto inputs = memory_batch(host, caller);
    std::size_t next = 0;
    host.steps = 0;
    for (auto _ : state) {
      if (next == inputs.size()) {
        state.PauseTiming();
        const auto counted = host.steps;
        inputs = memory_batch(host, caller);
        edits += registry_edits();
        host.steps = counted;
        next = 0;
        state.ResumeTiming();
      }
      if (!acknowledged(host.drive(inputs[next++], nullptr), false)) return state.SkipWithError("not acknowledged");
    }
    const auto steps = host.steps;
    check_audit(state, host, 1 + static_cast<std::int64_t>(state.iterations()) + edits);
    host.steps = steps;
    state.counters["steps_per_delivery"] = static_cast<double>(host.steps) / static_cast<double>(state.iterations());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}
void BM_Pipeline_StepProtocol_MemorySqlite_New(benchmark::State& state) {
  run_memory_new_calls(state, Caller::unknown);
}
void BM_Pipeline_StepProtocol_MemorySqlite_Registered(benchmark::State& state) {
  run_memory_new_calls(state, Caller::in_registry);
}
BENCHMARK(BM_Pipeline_StepProtocol_MemorySqlite_New)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Pipeline_StepProtocol_MemorySqlite_Registered)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_Pipeline_StepProtocol_MemorySqlite_Duplicate(benchmark::State& state) {
  try {
    Runtime runtime(runtime_init(config_json()));
    MemoryHost host(runtime);
    const auto input = step_input(signed_delivery(next_serial(), fresh_caller(next_serial())).request);
    if (!acknowledged(host.drive(input, nullptr), false)) return state.SkipWithError("first delivery failed");
    host.steps = 0;
    for (auto _ : state) {
      if (!acknowledged(host.drive(input, nullptr), true)) return state.SkipWithError("not a duplicate");
    }
    const auto steps = host.steps;
    check_audit(state, host, 1);
    host.steps = steps;
    state.counters["steps_per_delivery"] = static_cast<double>(host.steps) / static_cast<double>(state.iterations());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
  }
}
BENCHMARK(BM_Pipeline_StepProtocol_MemorySqlite_Duplicate)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
