#include <catch2/catch.hpp>

#include "core/fx.hpp"
#include "core/task.hpp"

using namespace frontdesk;

namespace {

Task<std::optional<std::string>> read_key(Fx& fx, std::string key) {
  auto value = co_await fx.kv_get(std::move(key));
  co_return value ? *value : std::nullopt;
}

Task<std::string> read_both(Fx& fx) {
  auto [a, b] = co_await when_all(read_key(fx, "a"), read_key(fx, "b"));
  co_return a.value_or("-") + b.value_or("-");
}

Task<int> count_reads(Fx& fx, int n) {
  std::vector<Task<std::optional<std::string>>> reads;
  for (int i = 0; i < n; ++i) reads.push_back(read_key(fx, "k" + std::to_string(i)));
  const auto values = co_await when_all(std::move(reads));
  int present = 0;
  for (const auto& v : values) present += v.has_value() ? 1 : 0;
  co_return present;
}

template <class T>
Task<void> capture(Task<T> task, std::optional<T>& out) {
  out.emplace(co_await std::move(task));
}

Task<int> immediate() { co_return 7; }

Task<int> nested_immediates() {
  int sum = 0;
  // Many synchronous completions in a row must not grow the stack (symmetric transfer).
  for (int i = 0; i < 100000; ++i) sum += co_await immediate() - 6;
  co_return sum;
}

EffectOutput some(std::string value) { return std::optional<std::string>{std::move(value)}; }

}  // namespace

TEST_CASE("when_all hands every child's effect to the host in one step") {
  EffectQueue queue;
  Fx fx(queue);
  std::optional<std::string> result;
  auto root = capture(read_both(fx), result);
  root.start();
  const auto step = queue.take_fresh();
  REQUIRE(step.size() == 2);
  CHECK(std::get<KvGet>(step[0].effect).key == "a");
  CHECK(std::get<KvGet>(step[1].effect).key == "b");
  CHECK_FALSE(result.has_value());

  // Answered out of order: each child resumes with its own result.
  queue.settle(step[1].id, some("B")).resume();
  CHECK_FALSE(result.has_value());
  queue.settle(step[0].id, some("A")).resume();
  REQUIRE(result.has_value());
  CHECK(*result == "AB");
  CHECK(queue.idle());
}

TEST_CASE("when_all over a run-time list keeps the order of its tasks") {
  EffectQueue queue;
  Fx fx(queue);
  std::optional<int> result;
  auto root = capture(count_reads(fx, 5), result);
  root.start();
  const auto step = queue.take_fresh();
  REQUIRE(step.size() == 5);
  for (std::size_t i = 0; i < step.size(); ++i) {
    CHECK(std::get<KvGet>(step[i].effect).key == "k" + std::to_string(i));
    const EffectOutput output = i % 2 == 0 ? some("x") : EffectOutput{std::optional<std::string>{}};
    queue.settle(step[i].id, output).resume();
  }
  REQUIRE(result.has_value());
  CHECK(*result == 3);
}

TEST_CASE("an effect's error reaches the awaiting handler as a value") {
  EffectQueue queue;
  Fx fx(queue);
  std::optional<bool> failed;
  auto probe = [](Fx& f, std::optional<bool>& out) -> Task<void> {
    auto put = co_await f.kv_put("k", "v");
    out = !put.ok() && put.error().code == ErrorCode::storage_unavailable;
  };
  auto root = probe(fx, failed);
  root.start();
  const auto step = queue.take_fresh();
  REQUIRE(step.size() == 1);
  queue.settle(step[0].id, make_error(ErrorCode::storage_unavailable, "down")).resume();
  CHECK(failed == true);
}

TEST_CASE("a result of the wrong kind is an internal error, not a crash") {
  EffectQueue queue;
  Fx fx(queue);
  std::optional<ErrorCode> code;
  auto probe = [](Fx& f, std::optional<ErrorCode>& out) -> Task<void> {
    auto now = co_await f.now();
    out = now.ok() ? ErrorCode::conflict : now.error().code;
  };
  auto root = probe(fx, code);
  root.start();
  const auto step = queue.take_fresh();
  queue.settle(step[0].id, some("not a number")).resume();
  CHECK(code == ErrorCode::internal);
}

TEST_CASE("an unknown effect id resumes nothing") {
  EffectQueue queue;
  CHECK_FALSE(queue.settle(42, EffectOutput{}));
}

TEST_CASE("long chains of synchronous awaits complete without effects") {
  std::optional<int> result;
  auto root = capture(nested_immediates(), result);
  root.start();
  CHECK(result == 100000);
}
