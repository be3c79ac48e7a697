#include "sql_batch.hpp"

#include <utility>

namespace frontdesk {
namespace {

Task<Result<SqlRows>> one(Fx& fx, SqlExec statement) {
  co_return co_await fx.sql(std::move(statement.sql), std::move(statement.params));
}

}  // namespace

Task<std::vector<Result<SqlRows>>> sql_batch(Fx& fx, std::vector<SqlExec> statements) {
  std::vector<Task<Result<SqlRows>>> tasks;
  tasks.reserve(statements.size());
  for (auto& statement : statements) tasks.push_back(one(fx, std::move(statement)));
  co_return co_await when_all(std::move(tasks));
}

Result<void> first_failure(const std::vector<Result<SqlRows>>& results) {
  for (const auto& result : results) {
    if (!result) return result.error();
  }
  return Unit{};
}

std::string placeholders(std::size_t count) {
  std::string list;
  for (std::size_t i = 0; i < count; ++i) list += i == 0 ? "?" : ",?";
  return list;
}

}  // namespace frontdesk
