#include "clock_and_random.hpp"

namespace frontdesk {

Task<Result<std::int64_t>> clock_task(Fx& fx) { co_return co_await fx.now(); }

Task<Result<std::string>> random_task(Fx& fx, std::uint32_t bytes) {
  auto random = co_await fx.random(bytes);
  if (random && random->size() < bytes) co_return make_error(ErrorCode::internal, "the host gave too few random bytes");
  co_return random;
}

}  // namespace frontdesk
