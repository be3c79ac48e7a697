// The C ABI both Wasm builds export (docs/wire.md): one call per step, one buffer in and
// one buffer out. The host owns the Runtime handle; the module keeps no globals.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/runtime.hpp"

namespace {

std::uint8_t* copy_out(const std::string& text) {
  const auto size = static_cast<std::uint32_t>(text.size());
  auto* buffer = static_cast<std::uint8_t*>(std::malloc(sizeof(size) + text.size()));
  if (!buffer) return nullptr;
  std::memcpy(buffer, &size, sizeof(size));  // Wasm is little-endian
  std::memcpy(buffer + sizeof(size), text.data(), text.size());
  return buffer;
}

std::string_view view(const std::uint8_t* data, std::uint32_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace

extern "C" {

__attribute__((export_name("fd_alloc"))) std::uint8_t* fd_alloc(std::uint32_t size) {
  return static_cast<std::uint8_t*>(std::malloc(size == 0 ? 1 : size));
}

__attribute__((export_name("fd_free"))) void fd_free(std::uint8_t* buffer) { std::free(buffer); }

__attribute__((export_name("fd_runtime_new"))) frontdesk::Runtime* fd_runtime_new(const std::uint8_t* init,
                                                                                   std::uint32_t size) {
  // Ownership passes to the host, which hands it back to fd_runtime_free.
  return std::make_unique<frontdesk::Runtime>(view(init, size)).release();
}

__attribute__((export_name("fd_runtime_free"))) void fd_runtime_free(frontdesk::Runtime* runtime) {
  std::unique_ptr<frontdesk::Runtime> owned(runtime);
}

__attribute__((export_name("fd_step"))) std::uint8_t* fd_step(frontdesk::Runtime* runtime, const std::uint8_t* input,
                                                              std::uint32_t size) {
  return copy_out(runtime->step(view(input, size)));
}

}  // extern "C"
