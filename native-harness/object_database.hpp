#pragma once
// One object's own SQLite database: its key-value storage (table _storage) and whatever
// tables the core creates with sql.exec. Each call into the object runs in one
// transaction, committed when the call is done.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/effects.hpp"
#include "core/result.hpp"
#include "sqlite.hpp"

namespace frontdesk::native {

class ObjectDatabase {
 public:
  static Result<std::unique_ptr<ObjectDatabase>> open(const std::filesystem::path& path, GroupCommit* group = nullptr);
  explicit ObjectDatabase(Database db) : db_(std::move(db)) {}

  // BEGIN IMMEDIATE: the write lock is taken up front, so a call never fails half-way
  // on a lock it could not upgrade.
  Result<void> begin();
  Result<void> commit();
  void rollback();

  // One call of a group committed together: a savepoint inside the group's transaction
  // (begun here when none is open). A call that fails is undone alone; one that succeeds
  // is kept for the group's commit. An error means the transaction itself is gone.
  Result<void> begin_call();
  Result<void> end_call(bool keep);

  bool in_transaction() const { return db_.in_transaction(); }

  Result<std::optional<std::string>> get(std::string_view key);
  Result<void> put(std::string_view key, std::string_view value);
  Result<void> remove(std::string_view key);
  // Keys starting with prefix and after start_after (exclusive), in key order.
  Result<StorageEntries> list(std::string_view prefix, std::string_view start_after, std::uint32_t limit);

  // The core's SQL, run as given with its parameters bound.
  Result<SqlRows> exec(const SqlExec& statement);

 private:
  Database db_;
};

// The smallest string above every string starting with prefix, or nullopt when there is
// none (an empty prefix, or one of 0xFF bytes only): the exclusive end of a prefix range.
std::optional<std::string> prefix_end(std::string_view prefix);

}  // namespace frontdesk::native
