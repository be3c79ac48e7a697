#pragma once
// The clock and randomness as tasks, so that `when_all` can ask for them in the same step as
// other effects (SQL, the other of the two) rather than a step each.
#include <cstdint>
#include <string>

#include "fx.hpp"
#include "result.hpp"
#include "task.hpp"

namespace frontdesk {

Task<Result<std::int64_t>> clock_task(Fx& fx);
// Exactly `bytes` random bytes: a host that gives fewer is an internal error.
Task<Result<std::string>> random_task(Fx& fx, std::uint32_t bytes);

}  // namespace frontdesk
