# Third-party code comes from Debian's packages natively, and for the Wasm builds from
# header-only libraries plus libsodium compiled from `apt-get source` (scripts/setup.sh).

if(FRONTDESK_TARGET STREQUAL "native")
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
  add_library(frontdesk_sodium INTERFACE)
  target_link_libraries(frontdesk_sodium INTERFACE PkgConfig::SODIUM)
  find_package(Boost 1.81 EXACT REQUIRED)
  add_library(frontdesk_boost_headers INTERFACE)
  target_link_libraries(frontdesk_boost_headers INTERFACE Boost::headers)
else()
  include(${CMAKE_CURRENT_LIST_DIR}/sodium-from-source.cmake)
  # Only the header-only libraries the core needs are visible to the Wasm compilers, never
  # the rest of the host's /usr/include.
  set(FRONTDESK_WASM_INCLUDE ${CMAKE_BINARY_DIR}/third-party-include)
  file(MAKE_DIRECTORY ${FRONTDESK_WASM_INCLUDE})
  if(NOT EXISTS ${FRONTDESK_WASM_INCLUDE}/boost)
    file(CREATE_LINK /usr/include/boost ${FRONTDESK_WASM_INCLUDE}/boost SYMBOLIC)
  endif()
  add_library(frontdesk_boost_headers INTERFACE)
  target_include_directories(frontdesk_boost_headers SYSTEM INTERFACE ${FRONTDESK_WASM_INCLUDE})
  target_compile_definitions(frontdesk_boost_headers INTERFACE BOOST_SYSTEM_DISABLE_THREADS BOOST_JSON_STANDALONE_NO_THREADS)
endif()
