// Debian's wasm32-wasi libc++abi has no unwinder, so nothing can be thrown. Boost.JSON
// still names these two; the core never throws (it uses Boost.JSON's error-code
// overloads), so reaching either is a bug: trap rather than limp on.
#include <cstddef>

extern "C" {
void* __cxa_allocate_exception(std::size_t) noexcept { __builtin_trap(); }
void __cxa_throw(void*, void*, void (*)(void*)) { __builtin_trap(); }
}
