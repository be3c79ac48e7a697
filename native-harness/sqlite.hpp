#pragma once
// RAII over the SQLite C API. Every failure is a Result error with code
// storage_unavailable: to the core, a database that fails is storage that is unavailable.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/effects.hpp"
#include "core/result.hpp"
#include "group_commit.hpp"

namespace frontdesk::native {

Error sqlite_error(sqlite3* db, std::string_view what);

struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// A prepared statement in use. Cached statements are borrowed from their Database and
// reset when this lets go of them, so the next use starts clean.
class Statement {
 public:
  Statement(sqlite3_stmt* borrowed, StatementHandle owned);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters count from 1, as in SQLite.
  Result<void> bind(int index, const SqlValue& value);
  Result<void> bind_text(int index, std::string_view text);
  Result<void> bind_int64(int index, std::int64_t value);
  Result<void> bind_null(int index);
  // true: a row is ready; false: the statement is done.
  Result<bool> step();
  // Steps to the end, for statements that return no rows.
  Result<void> run();

  int parameter_count() const;
  int column_count() const;
  std::string column_name(int column) const;
  SqlValue column(int column) const;
  std::string column_text(int column) const;
  std::int64_t column_int64(int column) const;
  bool column_is_null(int column) const;
  bool read_only() const;

 private:
  sqlite3_stmt* statement_;
  StatementHandle owned_;  // null when borrowed from a Database's cache
};

class Database {
 public:
  // Opens (creating if needed) with the settings every Frontdesk database uses: WAL,
  // foreign keys, a busy timeout. Each commit is durable when it returns
  // (synchronous=FULL), or, with a group, when the group says so (synchronous=NORMAL, the
  // group syncs the WAL: a 2xx still promises a durable record).
  static Result<Database> open(const std::filesystem::path& path, GroupCommit* group = nullptr);

  // Where SQLite's commit hook reports a group's commits (sqlite.cpp).
  struct CommitWatch;

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs SQL without parameters (may hold several statements: schemas, BEGIN, COMMIT).
  Result<void> exec(std::string_view sql);
  // Runs one statement without parameters or rows from the cache: what the host runs on
  // every call (BEGIN, SAVEPOINT, RELEASE, COMMIT) is parsed once, not per call.
  Result<void> run(std::string_view sql);
  // A statement from the cache; prepared once per distinct SQL text.
  Result<Statement> prepare(std::string_view sql);
  // SQL written by the core for an object's own tables: exactly one statement, and none
  // that would break the host's transaction or reach another database.
  Result<Statement> prepare_object_sql(std::string_view sql);

  bool in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }
  std::int64_t total_changes() const { return sqlite3_total_changes64(db_.get()); }
  std::int64_t changes() const { return sqlite3_changes64(db_.get()); }
  sqlite3* handle() const { return db_.get(); }

 private:
  struct CloseDatabase {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
  };
  explicit Database(sqlite3* db);
  Result<Statement> prepare_uncached(std::string_view sql, bool object_sql);

  // What SQLite's commit hook reports to; outlives the handle that calls it.
  std::unique_ptr<CommitWatch> watch_;
  // Declared before the cache so it is destroyed after every cached statement is finalized.
  std::unique_ptr<sqlite3, CloseDatabase> db_;
  std::unordered_map<std::string, StatementHandle> cache_;
};

}  // namespace frontdesk::native
