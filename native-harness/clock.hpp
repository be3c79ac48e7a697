#pragma once
// The host's clock, injectable so tests can move time (KV expiry, alarms).
#include <chrono>
#include <cstdint>
#include <functional>

namespace frontdesk::native {

// Unix time in milliseconds.
using Clock = std::function<std::int64_t()>;

inline std::int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace frontdesk::native
