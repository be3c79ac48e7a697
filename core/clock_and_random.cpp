#include "clock_and_random.hpp"

namespace frontdesk {

Task<Result<std::int64_t>> clock_task(Fx& fx) { co_return co_await fx.now(); }

Task<Result<std::string>> random_task(Fx& fx, std::uint32_t bytes) { co_return co_await fx.random(bytes); }

}  // namespace frontdesk
