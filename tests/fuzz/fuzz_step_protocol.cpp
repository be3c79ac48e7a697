// The JSON step protocol a host speaks to the Wasm module: arbitrary step inputs, and
// arbitrary results fed to an open deep-health session.
#include <cstdint>
#include <string>

#include "core/runtime.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  frontdesk::Runtime runtime(R"({"config":{"sources":{"gh":{"kind":"github","secrets":["s"]}}}})");
  (void)runtime.step(input);
  (void)runtime.step(R"({"op":"request","request":{"method":"GET","path":"/health","query":"deep=1"}})");
  (void)runtime.step(input);
  return 0;
}
