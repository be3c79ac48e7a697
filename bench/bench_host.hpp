#pragma once
// What the native benchmarks share (bench/pipeline_bench.cpp, bench/api_bench.cpp):
//   - NativeHost: the real native Host in-process on its own io_context and a temporary
//     database, on tmpfs or on disk, with a fixed clock and its alarms stopped;
//   - MemoryHost: the JSON step protocol (core/runtime.hpp, the very code the Wasm builds
//     run) with effects answered the way tests/js/wasi-host.mjs answers them: KV in a map,
//     each object an in-memory SQLite database (the host's own ObjectDatabase) with one
//     transaction per call; it counts the steps;
//   - Latencies: per-iteration wall times reported as p50/p99 user counters.
#include <benchmark/benchmark.h>
#include <sodium.h>
#include <stdlib.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "core/app.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/runtime.hpp"
#include "host.hpp"
#include "object_database.hpp"
#include "output.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::bench {
namespace json = boost::json;
using native::Host;
using native::HostOptions;
using native::ObjectDatabase;
using native::ObjectKey;
using native::Store;

// A fixed clock, so pre-signed deliveries stay fresh and rate windows stay put however
// long a run takes.
inline constexpr std::int64_t now_s = 1700000000;
inline constexpr std::int64_t now_ms = now_s * 1000;

[[noreturn]] inline void fail(const std::string& what) { throw std::runtime_error(what); }

inline App make_app(std::string_view config_json) {
  auto app = App::create(config_json, [](std::string_view) { return std::optional<std::string>{}; });
  if (!app) fail("config: " + app.error().message);
  return std::move(app.value());
}

// A fresh directory under base, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::filesystem::path& base) {
    auto pattern = (base / "frontdesk-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("mkdtemp under " + base.string());
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// "disk" puts the databases under the system temp directory (the host's real PRAGMA
// synchronous=FULL, so fsyncs); "tmpfs" under /dev/shm (fsync is free there), which is the
// fair comparison with the in-memory SQLite of the JS hosts.
enum class Dir { disk, tmpfs };

inline std::filesystem::path base_of(Dir dir) {
  return dir == Dir::tmpfs ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
}

inline Store open_store(const std::filesystem::path& path) {
  auto store = Store::open(path, [] { return now_ms; });
  if (!store) fail("store: " + store.error().message);
  return std::move(store.value());
}

inline HostOptions host_options() {
  HostOptions options;
  options.clock = [] { return now_ms; };
  options.log = native::discard_line;
  return options;
}

// The native host in-process, on its own io_context and temporary database.
struct NativeHost {
  NativeHost(Dir dir, std::string_view config_json)
      : temp(base_of(dir)),
        app(make_app(config_json)),
        store(open_store(temp.path() / "fd.db")),
        host(io, app, store, host_options()) {
    host.stop();  // no alarm is ever armed: an outbound queue is recorded, never sent
  }

  Response deliver(Request request) {
    std::optional<Response> response;
    host.handle(std::move(request), [&](Response r) { response = std::move(r); });
    io.restart();
    io.run();
    if (!response) fail("the host gave no response");
    return std::move(*response);
  }

  std::string ledger(const json::object& message, std::string_view tenant = "acme") {
    std::optional<ObjectReply> reply;
    host.call_object(ObjectKey{"ledger", std::string(tenant)}, json::serialize(message),
                     [&](ObjectReply r) { reply = std::move(r); });
    io.restart();
    io.run();
    if (!reply || !*reply) fail("ledger " + json::serialize(message) + " failed");
    return reply->value();
  }

  TempDir temp;
  boost::asio::io_context io;
  App app;
  Store store;
  Host host;
};

// ---- The JSON step protocol with in-memory SQLite objects (tests/js/wasi-host.mjs natively) ----

inline json::value encode_sql_value(const SqlValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* s = std::get_if<std::string>(&value)) return json::string(*s);
  if (const auto* b = std::get_if<SqlBlob>(&value)) return json::object{{"b64", base64_encode(b->bytes)}};
  return nullptr;
}

inline SqlValue decode_sql_value(const json::value& value) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64()) return static_cast<std::int64_t>(value.get_uint64());
  if (value.is_double()) return value.get_double();
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_object()) {
    auto bytes = base64_decode(value.at("b64").as_string());
    if (!bytes) fail("a blob parameter that is not base64");
    return SqlBlob{std::move(*bytes)};
  }
  return SqlValue{};
}

inline std::string random_b64(std::int64_t bytes) {
  std::string out(static_cast<std::size_t>(bytes), '\0');
  randombytes_buf(out.data(), out.size());
  return base64_encode(out);
}

// KV in a map, objects as in-memory SQLite databases, one transaction per call; alarms
// are recorded and never fired, fetch is never asked for.
class MemoryHost {
 public:
  explicit MemoryHost(Runtime& runtime) : runtime_(runtime) {}

  // Runs one session to its end; counts the steps.
  json::object drive(const json::object& first, ObjectDatabase* object) {
    auto output = step(first);
    while (!output.contains("done")) {
      if (!output.contains("session")) fail("step refused: " + json::serialize(output));
      json::array results;
      for (const auto& item : output.at("effects").as_array()) results.push_back(perform(item.as_object(), object));
      output = step(json::object{{"op", "resume"}, {"session", output.at("session")}, {"results", std::move(results)}});
    }
    return output;
  }

  // Runs a call in the object (kind, id), in one transaction: its done output.
  json::object call_object(const std::string& kind, const std::string& object_id, const json::value& message) {
    auto& db = database(kind + "/" + object_id);
    if (auto began = db.begin(); !began) fail("begin: " + began.error().message);
    auto output =
        drive(json::object{{"op", "object.call"}, {"kind", kind}, {"id", object_id}, {"message", message}}, &db);
    if (auto committed = db.commit(); !committed) fail("commit: " + committed.error().message);
    return output;
  }

  std::int64_t steps = 0;
  // Wall time inside the steps (the core, and the JSON in and out): the native peer of
  // the time inside fd_step that the V8 benchmarks report.
  std::chrono::steady_clock::duration in_runtime{};

 private:
  json::object step(const json::object& input) {
    ++steps;
    const auto start = std::chrono::steady_clock::now();
    auto output = json::parse(runtime_.step(json::serialize(input))).as_object();
    in_runtime += std::chrono::steady_clock::now() - start;
    return output;
  }

  ObjectDatabase& database(const std::string& name) {
    auto& db = objects_[name];
    if (!db) {
      auto opened = ObjectDatabase::open(":memory:");
      if (!opened) fail("object database: " + opened.error().message);
      db = std::move(*opened);
    }
    return *db;
  }

  static json::object failure(const json::value& id, const Error& error) {
    return {{"id", id}, {"ok", false}, {"error", {{"code", error_code_name(error.code)}, {"message", error.message}}}};
  }

  json::object perform(const json::object& effect, ObjectDatabase* object) {
    const auto& id = effect.at("id");
    const auto op = effect.at("op").as_string();
    json::object result{{"id", id}, {"ok", true}, {"value", nullptr}};
    if (op == "now") {
      result["value"] = now_ms;
    } else if (op == "random") {
      result["value"] = random_b64(effect.at("bytes").as_int64());
    } else if (op == "log" || op == "alarm.set") {
    } else if (op == "kv.get") {
      const auto it = kv_.find(std::string(effect.at("key").as_string()));
      if (it != kv_.end()) result["value"] = json::string(it->second);
    } else if (op == "kv.put") {
      kv_[std::string(effect.at("key").as_string())] = std::string(effect.at("value").as_string());
    } else if (op == "object.call") {
      const auto output = call_object(std::string(effect.at("kind").as_string()),
                                      std::string(effect.at("object_id").as_string()), effect.at("message"));
      if (output.contains("error")) {
        return {{"id", id}, {"ok", false}, {"error", output.at("error")}};
      }
      result["value"] = output.at("reply");
    } else if (object && op == "storage.get") {
      auto value = object->get(effect.at("key").as_string());
      if (!value) return failure(id, value.error());
      if (*value) result["value"] = json::string(**value);
    } else if (object && op == "storage.put") {
      if (auto put = object->put(effect.at("key").as_string(), effect.at("value").as_string()); !put) {
        return failure(id, put.error());
      }
    } else if (object && op == "sql.exec") {
      SqlExec statement{std::string(effect.at("sql").as_string()), {}};
      if (const auto* params = effect.if_contains("params")) {
        for (const auto& param : params->as_array()) statement.params.push_back(decode_sql_value(param));
      }
      auto rows = object->exec(statement);
      if (!rows) return failure(id, rows.error());
      json::array columns;
      for (const auto& column : rows->columns) columns.emplace_back(column);
      json::array table;
      for (const auto& row : rows->rows) {
        json::array cells;
        for (const auto& cell : row) cells.push_back(encode_sql_value(cell));
        table.push_back(std::move(cells));
      }
      result["value"] = json::object{
          {"columns", std::move(columns)}, {"rows", std::move(table)}};
    } else {
      return failure(id, Error{ErrorCode::internal, std::string(op) + " is not supported by this host"});
    }
    return result;
  }

  Runtime& runtime_;
  std::map<std::string, std::string> kv_;
  std::map<std::string, std::unique_ptr<ObjectDatabase>> objects_;
};

// The Runtime's init document for a configuration.
inline std::string runtime_init(std::string_view config_json) {
  return json::serialize(json::object{{"config", json::parse(config_json)}, {"env", json::object{}}});
}

// A request as the step protocol's request input.
inline json::object step_input(const Request& request) {
  json::array headers;
  for (const auto& [name, value] : request.headers.entries()) headers.push_back({name, value});
  return {{"op", "request"},
          {"request",
           {{"method", request.method},
            {"path", request.path},
            {"query", request.query},
            {"headers", headers},
            {"body_b64", base64_encode(request.body)}}}};
}

// ---- Latency percentiles ----

// Wall time of each timed call, so a benchmark can report the tail the mean hides: p50
// and p99 (nearest rank) as user counters in microseconds, visible in the console and JSON.
class Latencies {
 public:
  template <class F>
  auto time(F&& work) {
    const auto start = std::chrono::steady_clock::now();
    auto result = std::forward<F>(work)();
    samples_.push_back(std::chrono::steady_clock::now() - start);
    return result;
  }

  std::size_t size() const { return samples_.size(); }

  // Nearest-rank percentile in microseconds; 0 when nothing was timed.
  double percentile_us(double p) const {
    if (samples_.empty()) return 0;
    auto sorted = samples_;
    std::sort(sorted.begin(), sorted.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    const auto index = std::clamp<std::size_t>(rank, 1, sorted.size()) - 1;
    return std::chrono::duration<double, std::micro>(sorted[index]).count();
  }

  void report(benchmark::State& state) const {
    state.counters["p50_us"] = percentile_us(0.50);
    state.counters["p99_us"] = percentile_us(0.99);
  }

 private:
  std::vector<std::chrono::steady_clock::duration> samples_;
};

}  // namespace frontdesk::bench
