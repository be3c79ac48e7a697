#include <catch2/catch.hpp>

#include "core/clock_and_random.hpp"

using namespace frontdesk;

namespace {

template <class T>
Task<void> capture(Task<T> task, std::optional<T>& out) {
  out.emplace(co_await std::move(task));
}

Task<Result<std::string>> clock_and_random(Fx& fx, std::uint32_t bytes) {
  auto [now, random] = co_await when_all(clock_task(fx), random_task(fx, bytes));
  if (!now) co_return now.error();
  if (!random) co_return random.error();
  co_return std::to_string(*now) + ":" + *random;
}

// random_task(8) when the host answers its one Random effect with `answer`.
Result<std::string> random_answered(Result<EffectOutput> answer) {
  EffectQueue queue;
  Fx fx(queue);
  std::optional<Result<std::string>> result;
  auto root = capture(random_task(fx, 8), result);
  root.start();
  const auto step = queue.take_fresh();
  REQUIRE(step.size() == 1);
  queue.settle(step[0].id, std::move(answer)).resume();
  REQUIRE(result.has_value());
  return std::move(*result);
}

}  // namespace

TEST_CASE("clock_task and random_task ask for the time and the bytes in one step") {
  EffectQueue queue;
  Fx fx(queue);
  std::optional<Result<std::string>> result;
  auto root = capture(clock_and_random(fx, 4), result);
  root.start();
  const auto step = queue.take_fresh();
  REQUIRE(step.size() == 2);
  CHECK(std::holds_alternative<Now>(step[0].effect));
  REQUIRE(std::holds_alternative<Random>(step[1].effect));
  CHECK(std::get<Random>(step[1].effect).bytes == 4);

  queue.settle(step[0].id, EffectOutput{std::int64_t{1700000000000}}).resume();
  queue.settle(step[1].id, EffectOutput{std::string("abcd")}).resume();
  REQUIRE(result.has_value());
  REQUIRE(result->ok());
  CHECK(result->value() == "1700000000000:abcd");
  CHECK(queue.idle());
}

TEST_CASE("random_task: a host that gives fewer bytes than asked is an internal error") {
  const auto result = random_answered(EffectOutput{std::string("short")});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::internal);
  CHECK(result.error().message == "the host gave too few random bytes");
}

TEST_CASE("random_task passes the host's own failure through") {
  const auto result = random_answered(make_error(ErrorCode::storage_unavailable, "injected"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::storage_unavailable);
  CHECK(result.error().message == "injected");
}
