#pragma once
// Errors are values: a Result holds either a value or an Error with its code.
#include <utility>
#include <variant>

#include "error.hpp"

namespace frontdesk {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

struct Unit {
  bool operator==(const Unit&) const = default;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unit) {}
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }

 private:
  Error error_{};
  bool failed_ = false;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace frontdesk

// One line to pass an error up out of a coroutine, as Abseil's ASSIGN_OR_RETURN and
// RETURN_IF_ERROR do for Status:
//   FRONTDESK_CO_TRY(const auto now, co_await fx.now());   // now is the value
//   FRONTDESK_CO_CHECK(co_await fx.kv_delete(key));         // a Result<void>, or one not kept
// The expression may hold commas; it is evaluated once.
#define FRONTDESK_CO_TRY(declaration, ...) \
  FRONTDESK_CO_TRY_INTO(FRONTDESK_RESULT_NAME(frontdesk_try_, __LINE__), declaration, __VA_ARGS__)
#define FRONTDESK_CO_TRY_INTO(result, declaration, ...) \
  auto result = (__VA_ARGS__);                         \
  if (!result) co_return result.error();               \
  declaration = std::move(*result)
#define FRONTDESK_CO_CHECK(...) \
  FRONTDESK_CO_CHECK_NAMED(FRONTDESK_RESULT_NAME(frontdesk_check_, __LINE__), __VA_ARGS__)
#define FRONTDESK_CO_CHECK_NAMED(result, ...) \
  if (auto result = (__VA_ARGS__); !result) co_return result.error()
#define FRONTDESK_RESULT_NAME(prefix, line) FRONTDESK_RESULT_NAME_JOIN(prefix, line)
#define FRONTDESK_RESULT_NAME_JOIN(prefix, line) prefix##line
