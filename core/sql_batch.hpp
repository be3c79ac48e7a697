#pragma once
// Several SQL statements in one step of the session: the host runs a step's effects in the
// order they were asked for, and an object's calls never interleave, so a later statement
// sees what an earlier one wrote. One step instead of one per statement is what keeps a
// webhook's Wasm steps few.
#include <cstddef>
#include <string>
#include <vector>

#include "effects.hpp"
#include "fx.hpp"
#include "result.hpp"
#include "task.hpp"

namespace frontdesk {

Task<std::vector<Result<SqlRows>>> sql_batch(Fx& fx, std::vector<SqlExec> statements);

// The first failure of a batch, or success when every statement ran.
Result<void> first_failure(const std::vector<Result<SqlRows>>& results);

// "?,?,…" for an IN list of count values: one statement for a batch's rows, not one each.
std::string placeholders(std::size_t count);

}  // namespace frontdesk
