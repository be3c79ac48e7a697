#pragma once
// Emscripten 3.1.6's libc++ ships only <experimental/coroutine>; clang-16's and GCC's have
// <coroutine>. One alias covers both.
#if __has_include(<coroutine>)
#include <coroutine>
namespace frontdesk::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace frontdesk::coro
#else
#include <experimental/coroutine>
namespace frontdesk::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace frontdesk::coro
#endif
