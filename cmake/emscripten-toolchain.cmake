# Emscripten as Debian packages it (emcc 3.1.6 on the system clang). Its JS tools need
# Debian's acorn: NODE_PATH=/usr/share/nodejs (set by the preset).
set(FRONTDESK_EMSCRIPTEN_ROOT "/usr/share/emscripten" CACHE PATH "Emscripten installation")
include(${FRONTDESK_EMSCRIPTEN_ROOT}/cmake/Modules/Platform/Emscripten.cmake)
# The core awaits effects with C++20 coroutines and Boost.JSON has try blocks: Wasm
# exceptions keep those compiling; the core itself never throws.
# Its clang-14 libc++ has only <experimental/coroutine> (see core/coro.hpp) and warns so.
set(CMAKE_CXX_FLAGS_INIT "-fwasm-exceptions -Wno-deprecated-experimental-coroutine")
set(CMAKE_C_FLAGS_INIT "")
