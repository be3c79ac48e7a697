#include "object_database.hpp"

#include <utility>

namespace frontdesk::native {
namespace {

constexpr std::string_view schema = "CREATE TABLE IF NOT EXISTS _storage (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

Result<void> bind_prefix_range(Statement& statement, int first_index, std::string_view prefix) {
  if (auto bound = statement.bind_text(first_index, prefix); !bound) return bound;
  const auto end = prefix_end(prefix);
  return end ? statement.bind_text(first_index + 1, *end) : statement.bind_null(first_index + 1);
}

}  // namespace

std::optional<std::string> prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (end.empty()) return std::nullopt;
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

Result<std::unique_ptr<ObjectDatabase>> ObjectDatabase::open(const std::filesystem::path& path, GroupCommit* group) {
  auto db = Database::open(path, group);
  if (!db) return db.error();
  if (auto created = db->exec(schema); !created) return created.error();
  return std::make_unique<ObjectDatabase>(std::move(*db));
}

Result<void> ObjectDatabase::begin() { return db_.run("BEGIN IMMEDIATE"); }

Result<void> ObjectDatabase::commit() {
  // SQLite may already have rolled back on its own (disk full, I/O error): then the
  // call's writes are gone and it must not look committed.
  if (!db_.in_transaction()) return Error{ErrorCode::storage_unavailable, "sqlite: the transaction was rolled back"};
  return db_.run("COMMIT");
}

void ObjectDatabase::rollback() {
  if (db_.in_transaction()) (void)db_.run("ROLLBACK");
}

Result<void> ObjectDatabase::begin_call() {
  if (!db_.in_transaction()) {
    if (auto began = begin(); !began) return began;
  }
  return db_.run("SAVEPOINT object_call");
}

Result<void> ObjectDatabase::end_call(bool keep) {
  // SQLite rolls the whole transaction back on its own after some failures (disk full, I/O
  // error): then the group's earlier calls are gone too.
  if (!db_.in_transaction()) return Error{ErrorCode::storage_unavailable, "sqlite: the transaction was rolled back"};
  if (keep) return db_.run("RELEASE object_call");
  if (auto undone = db_.run("ROLLBACK TO object_call"); !undone) return undone;
  return db_.run("RELEASE object_call");
}

Result<std::optional<std::string>> ObjectDatabase::get(std::string_view key) {
  auto statement = db_.prepare("SELECT value FROM _storage WHERE key = ?1");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_text(1, key); !bound) return bound.error();
  auto row = statement->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{statement->column_text(0)};
}

Result<void> ObjectDatabase::put(std::string_view key, std::string_view value) {
  auto statement = db_.prepare("INSERT INTO _storage (key, value) VALUES (?1, ?2) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_text(1, key); !bound) return bound;
  if (auto bound = statement->bind_text(2, value); !bound) return bound;
  return statement->run();
}

Result<void> ObjectDatabase::remove(std::string_view key) {
  auto statement = db_.prepare("DELETE FROM _storage WHERE key = ?1");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_text(1, key); !bound) return bound;
  return statement->run();
}

Result<StorageEntries> ObjectDatabase::list(std::string_view prefix, std::string_view start_after,
                                            std::uint32_t limit) {
  auto statement = db_.prepare(
      "SELECT key, value FROM _storage WHERE key >= ?1 AND (?2 IS NULL OR key < ?2) AND key > ?3 "
      "ORDER BY key LIMIT ?4");
  if (!statement) return statement.error();
  if (auto bound = bind_prefix_range(*statement, 1, prefix); !bound) return bound.error();
  if (auto bound = statement->bind_text(3, start_after); !bound) return bound.error();
  if (auto bound = statement->bind_int64(4, limit); !bound) return bound.error();
  StorageEntries entries;
  while (true) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    entries.emplace_back(statement->column_text(0), statement->column_text(1));
  }
  return entries;
}

Result<SqlRows> ObjectDatabase::exec(const SqlExec& request) {
  auto statement = db_.prepare_object_sql(request.sql);
  if (!statement) return statement.error();
  // As at the edge: a parameter count that does not match the placeholders is an error,
  // not a silent NULL.
  if (static_cast<std::size_t>(statement->parameter_count()) != request.params.size()) {
    return Error{ErrorCode::storage_unavailable, "sqlite: wrong number of parameters"};
  }
  for (std::size_t i = 0; i < request.params.size(); ++i) {
    if (auto bound = statement->bind(static_cast<int>(i + 1), request.params[i]); !bound) return bound.error();
  }
  SqlRows rows;
  const int columns = statement->column_count();
  for (int c = 0; c < columns; ++c) rows.columns.push_back(statement->column_name(c));
  while (true) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    auto& cells = rows.rows.emplace_back();
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) cells.push_back(statement->column(c));
  }
  return rows;
}

}  // namespace frontdesk::native
