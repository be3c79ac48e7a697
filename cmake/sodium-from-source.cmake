# libsodium for the Wasm builds, compiled from the sources scripts/setup.sh unpacks with
# `apt-get source libsodium` (never committed). Portable C only: no SIMD, no threads.
set(FRONTDESK_SODIUM_SOURCE ${CMAKE_SOURCE_DIR}/.cache/libsodium/src CACHE PATH "libsodium source tree")
set(sodium_root ${FRONTDESK_SODIUM_SOURCE}/src/libsodium)
if(NOT EXISTS ${sodium_root}/include/sodium.h)
  message(FATAL_ERROR "libsodium sources not found in ${FRONTDESK_SODIUM_SOURCE}: run scripts/setup.sh")
endif()

# The headers are copied so the generated version.h sits beside the headers it includes.
set(sodium_include ${CMAKE_BINARY_DIR}/sodium-include)
file(COPY ${sodium_root}/include/ DESTINATION ${sodium_include})
set(sodium_generated ${sodium_include}/sodium)
file(READ ${sodium_root}/include/sodium/version.h.in version_template)
string(REPLACE "@VERSION@" "1.0.18" version_template "${version_template}")
string(REPLACE "@SODIUM_LIBRARY_VERSION_MAJOR@" "10" version_template "${version_template}")
string(REPLACE "@SODIUM_LIBRARY_VERSION_MINOR@" "3" version_template "${version_template}")
string(REPLACE "@SODIUM_LIBRARY_MINIMAL_DEF@" "" version_template "${version_template}")
file(CONFIGURE OUTPUT ${sodium_generated}/version.h CONTENT "${version_template}" @ONLY)

file(GLOB_RECURSE sodium_sources CONFIGURE_DEPENDS ${sodium_root}/*.c)
add_library(sodium_wasm STATIC ${sodium_sources})
target_include_directories(sodium_wasm PUBLIC ${sodium_include} PRIVATE ${sodium_generated})
target_compile_definitions(sodium_wasm PUBLIC SODIUM_STATIC PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1)
target_compile_options(sodium_wasm PRIVATE -O2 -w)
if(FRONTDESK_TARGET STREQUAL "wasi")
  # utils.c includes <signal.h>, which wasi-libc only offers as an emulation.
  target_compile_definitions(sodium_wasm PRIVATE _WASI_EMULATED_SIGNAL)
  target_link_libraries(sodium_wasm PUBLIC wasi-emulated-signal)
endif()
add_library(frontdesk_sodium INTERFACE)
target_link_libraries(frontdesk_sodium INTERFACE sodium_wasm)
