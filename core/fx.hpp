#pragma once
// Fx: how a handler asks for effects. Each call returns an awaitable; awaiting it hands
// the effect to the host (through the session's queue) and resumes with its Result.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "coro.hpp"
#include "effects.hpp"
#include "result.hpp"

namespace frontdesk {

struct PendingSlot {
  coro::coroutine_handle<> waiter;
  std::optional<Result<EffectOutput>> outcome;
};

struct RequestedEffect {
  std::uint32_t id = 0;
  Effect effect;
  PendingSlot* slot = nullptr;
};

// Effects asked for since the host last looked, and those the host is performing.
class EffectQueue {
 public:
  void request(Effect effect, PendingSlot* slot) { fresh_.push_back({next_id_++, std::move(effect), slot}); }
  std::vector<RequestedEffect> take_fresh();
  // Stores the outcome and returns the coroutine to resume, or null for an unknown id.
  coro::coroutine_handle<> settle(std::uint32_t id, Result<EffectOutput> outcome);
  bool idle() const { return fresh_.empty() && in_flight_.empty(); }
  bool has_in_flight() const { return !in_flight_.empty(); }

 private:
  std::uint32_t next_id_ = 1;
  std::vector<RequestedEffect> fresh_;
  std::vector<RequestedEffect> in_flight_;
};

template <class T>
class EffectAwaiter {
 public:
  EffectAwaiter(EffectQueue& queue, Effect effect) : queue_(queue), effect_(std::move(effect)) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(coro::coroutine_handle<> waiter) {
    slot_.waiter = waiter;
    queue_.request(std::move(effect_), &slot_);
  }
  Result<T> await_resume() {
    auto& outcome = *slot_.outcome;
    if (!outcome.ok()) return outcome.error();
    if (auto* value = std::get_if<T>(&outcome.value())) return std::move(*value);
    return make_error(ErrorCode::internal, "host answered an effect with the wrong kind of result");
  }

 private:
  EffectQueue& queue_;
  Effect effect_;
  PendingSlot slot_;
};

using Nothing = std::monostate;

class Fx {
 public:
  explicit Fx(EffectQueue& queue) : queue_(queue) {}

  EffectAwaiter<std::optional<std::string>> kv_get(std::string key) { return {queue_, KvGet{std::move(key)}}; }
  EffectAwaiter<Nothing> kv_put(std::string key, std::string value, std::optional<std::int64_t> ttl_s = {}) {
    return {queue_, KvPut{std::move(key), std::move(value), ttl_s}};
  }
  EffectAwaiter<Nothing> kv_delete(std::string key) { return {queue_, KvDelete{std::move(key)}}; }
  EffectAwaiter<KvListPage> kv_list(std::string prefix, std::string cursor = {}, std::uint32_t limit = 1000) {
    return {queue_, KvList{std::move(prefix), std::move(cursor), limit}};
  }
  EffectAwaiter<std::string> object_call(std::string kind, std::string id, std::string message) {
    return {queue_, ObjectCall{std::move(kind), std::move(id), std::move(message)}};
  }
  EffectAwaiter<std::optional<std::string>> storage_get(std::string key) {
    return {queue_, StorageGet{std::move(key)}};
  }
  EffectAwaiter<Nothing> storage_put(std::string key, std::string value) {
    return {queue_, StoragePut{std::move(key), std::move(value)}};
  }
  EffectAwaiter<Nothing> storage_delete(std::string key) { return {queue_, StorageDelete{std::move(key)}}; }
  EffectAwaiter<StorageEntries> storage_list(std::string prefix, std::string start_after = {},
                                             std::uint32_t limit = 1000) {
    return {queue_, StorageList{std::move(prefix), std::move(start_after), limit}};
  }
  EffectAwaiter<SqlRows> sql(std::string statement, std::vector<SqlValue> params = {}) {
    return {queue_, SqlExec{std::move(statement), std::move(params)}};
  }
  EffectAwaiter<SqlRows> sql(SqlExec statement) { return {queue_, std::move(statement)}; }
  EffectAwaiter<Nothing> alarm_set(std::int64_t at_ms) { return {queue_, AlarmSet{at_ms}}; }
  EffectAwaiter<FetchResponse> fetch(FetchRequest request) { return {queue_, std::move(request)}; }
  EffectAwaiter<std::int64_t> now() { return {queue_, Now{}}; }
  EffectAwaiter<std::string> random(std::uint32_t bytes) { return {queue_, Random{bytes}}; }
  EffectAwaiter<Nothing> log(std::string record) { return {queue_, Log{std::move(record)}}; }
  EffectAwaiter<Nothing> live_publish(std::vector<LiveMessage> messages) {
    return {queue_, LivePublish{std::move(messages)}};
  }

 private:
  EffectQueue& queue_;
};

}  // namespace frontdesk
