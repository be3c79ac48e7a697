#pragma once
// Task<T>: a lazy coroutine that resumes whoever awaits it when it finishes. A task that
// completes without suspending hands its value straight back (no transfer at all), so
// long runs of synchronous awaits never grow the stack, even in unoptimised builds where
// compilers make no tail calls. when_all runs several tasks together so the effects they
// await reach the host in one step.
#include <cstddef>
#include <exception>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "coro.hpp"
#include "result.hpp"

namespace frontdesk {

template <class T>
class Task;

namespace detail {

struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }
  template <class Promise>
  void await_suspend(coro::coroutine_handle<Promise> self) noexcept {
    auto& promise = self.promise();
    // Finishing inside the awaiter's own await_suspend: it sees done() and carries on.
    // Otherwise the awaiter resumes here, a plain call rather than symmetric transfer:
    // every await that can finish at once never gets here, so the stack only grows by
    // the depth of the coroutine tree, and no target needs Wasm tail calls.
    if (!promise.running_inline && promise.continuation) promise.continuation.resume();
  }
  void await_resume() const noexcept {}
};

struct PromiseBase {
  coro::coroutine_handle<> continuation;
  bool running_inline = false;
  coro::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  // The core never throws; if a dependency does, stop rather than continue half-done.
  void unhandled_exception() const noexcept { std::terminate(); }
};

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
};

}  // namespace detail

template <class T = void>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = coro::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle h) : handle_(h) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { destroy(); }

  bool done() const { return !handle_ || handle_.done(); }

  // For the driver: start a root task that nobody awaits.
  void start() { handle_.resume(); }

  auto operator co_await() && noexcept {
    struct Awaiter {
      Handle handle;
      bool await_ready() const noexcept { return !handle || handle.done(); }
      // Runs the task until it first suspends; false (do not suspend) when it finished.
      bool await_suspend(coro::coroutine_handle<> awaiting) noexcept {
        auto& promise = handle.promise();
        promise.continuation = awaiting;
        promise.running_inline = true;
        handle.resume();
        promise.running_inline = false;
        return !handle.done();
      }
      T await_resume() {
        if constexpr (!std::is_void_v<T>) return std::move(*handle.promise().value);
      }
    };
    return Awaiter{handle_};
  }

 private:
  void destroy() {
    if (handle_) handle_.destroy();
    handle_ = {};
  }
  Handle handle_{};
};

namespace detail {
template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(coro::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(coro::coroutine_handle<Promise<void>>::from_promise(*this));
}

// Counts finished children; the last one resumes the parent.
struct JoinState {
  std::size_t remaining = 0;
  coro::coroutine_handle<> parent;
};

// A child coroutine whose end reports to the JoinState instead of a continuation.
struct JoinTask {
  struct promise_type {
    JoinState* state = nullptr;
    JoinTask get_return_object() noexcept {
      return JoinTask{coro::coroutine_handle<promise_type>::from_promise(*this)};
    }
    coro::suspend_always initial_suspend() const noexcept { return {}; }
    auto final_suspend() const noexcept {
      struct Last {
        bool await_ready() const noexcept { return false; }
        void await_suspend(coro::coroutine_handle<promise_type> self) noexcept {
          JoinState* s = self.promise().state;
          if (--s->remaining == 0) s->parent.resume();
        }
        void await_resume() const noexcept {}
      };
      return Last{};
    }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); }
  };
  coro::coroutine_handle<promise_type> handle;
  JoinTask(JoinTask&& o) noexcept : handle(std::exchange(o.handle, {})) {}
  explicit JoinTask(coro::coroutine_handle<promise_type> h) : handle(h) {}
  ~JoinTask() {
    if (handle) handle.destroy();
  }
};

template <class T>
JoinTask run_into(Task<T> task, std::optional<T>& slot) {
  slot.emplace(co_await std::move(task));
}

inline JoinTask run_into(Task<void> task, std::optional<Unit>& slot) {
  co_await std::move(task);
  slot.emplace();
}

template <class T>
using Slot = std::conditional_t<std::is_void_v<T>, Unit, T>;

// Starts every child, then suspends the parent until the last one finishes. The awaiter
// holds one count of its own while starting them, so children that finish at once never
// resume the parent from inside this loop; it just does not suspend.
struct JoinAwaiter {
  std::vector<JoinTask>& children;
  JoinState& state;
  bool await_ready() const noexcept { return children.empty(); }
  bool await_suspend(coro::coroutine_handle<> parent) {
    state.parent = parent;
    state.remaining = children.size() + 1;
    for (auto& child : children) child.handle.promise().state = &state;
    for (auto& child : children) child.handle.resume();
    return --state.remaining != 0;
  }
  void await_resume() const noexcept {}
};

}  // namespace detail

// Awaits several tasks at once; their effects reach the host in the same step.
template <class... Ts>
Task<std::tuple<detail::Slot<Ts>...>> when_all(Task<Ts>... tasks) {
  std::tuple<std::optional<detail::Slot<Ts>>...> slots;
  std::vector<detail::JoinTask> children;
  children.reserve(sizeof...(Ts));
  std::apply([&](auto&... slot) { (children.push_back(detail::run_into(std::move(tasks), slot)), ...); }, slots);
  detail::JoinState state;
  co_await detail::JoinAwaiter{children, state};
  co_return std::apply([](auto&... slot) { return std::tuple<detail::Slot<Ts>...>{std::move(*slot)...}; }, slots);
}

// The same for a run-time number of tasks of one type.
template <class T>
Task<std::vector<T>> when_all(std::vector<Task<T>> tasks) {
  std::vector<std::optional<T>> slots(tasks.size());
  std::vector<detail::JoinTask> children;
  children.reserve(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) children.push_back(detail::run_into(std::move(tasks[i]), slots[i]));
  detail::JoinState state;
  co_await detail::JoinAwaiter{children, state};
  std::vector<T> out;
  out.reserve(slots.size());
  for (auto& s : slots) out.push_back(std::move(*s));
  co_return out;
}

}  // namespace frontdesk
