#include "sqlite.hpp"

#include <climits>
#include <utility>

namespace frontdesk::native {
namespace {

// Distinct SQL texts a database keeps prepared; beyond that, statements are prepared
// per use (the core's SQL is a fixed set, so the cap only guards against a runaway).
constexpr std::size_t max_cached_statements = 256;

// Cache keys of object SQL are marked so they never share an entry with the host's own
// SQL, which skips the object checks.
constexpr std::string_view object_sql_mark = "\x01";

// Built by append: GCC 12 at -O3 reports a false -Wrestrict on string operator+ here.
std::string object_cache_key(std::string_view sql) {
  std::string key;
  key.reserve(object_sql_mark.size() + sql.size());
  key.append(object_sql_mark);
  key.append(sql);
  return key;
}

Error storage_error(std::string message) { return Error{ErrorCode::storage_unavailable, std::move(message)}; }

// Object SQL must not end the host's transaction nor reach another database file.
int object_sql_authorizer(void*, int action, const char*, const char*, const char*, const char*) {
  switch (action) {
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
      return SQLITE_DENY;
    default:
      return SQLITE_OK;
  }
}

int length_of(std::string_view text) {
  // SQLite takes int lengths; anything longer than that is refused before it gets there.
  return static_cast<int>(text.size());
}

}  // namespace

Error sqlite_error(sqlite3* db, std::string_view what) {
  const char* detail = db ? sqlite3_errmsg(db) : "out of memory";
  return storage_error("sqlite: " + std::string(what) + ": " + detail);
}

// --- Statement ---

Statement::Statement(sqlite3_stmt* borrowed, StatementHandle owned) : statement_(borrowed), owned_(std::move(owned)) {}

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)), owned_(std::move(other.owned_)) {}

Statement::~Statement() {
  if (statement_ && !owned_) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
}

Result<void> Statement::bind(int index, const SqlValue& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return bind_int64(index, *integer);
  if (const auto* real = std::get_if<double>(&value)) {
    if (sqlite3_bind_double(statement_, index, *real) != SQLITE_OK) {
      return sqlite_error(sqlite3_db_handle(statement_), "bind");
    }
    return {};
  }
  if (const auto* text = std::get_if<std::string>(&value)) return bind_text(index, *text);
  if (const auto* blob = std::get_if<SqlBlob>(&value)) {
    if (blob->bytes.size() > INT_MAX) return storage_error("sqlite: blob too large");
    if (sqlite3_bind_blob(statement_, index, blob->bytes.data(), length_of(blob->bytes), SQLITE_TRANSIENT) !=
        SQLITE_OK) {
      return sqlite_error(sqlite3_db_handle(statement_), "bind");
    }
    return {};
  }
  return bind_null(index);
}

Result<void> Statement::bind_text(int index, std::string_view text) {
  if (text.size() > INT_MAX) return storage_error("sqlite: text too large");
  if (sqlite3_bind_text(statement_, index, text.data(), length_of(text), SQLITE_TRANSIENT) != SQLITE_OK) {
    return sqlite_error(sqlite3_db_handle(statement_), "bind");
  }
  return {};
}

Result<void> Statement::bind_int64(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) {
    return sqlite_error(sqlite3_db_handle(statement_), "bind");
  }
  return {};
}

Result<void> Statement::bind_null(int index) {
  if (sqlite3_bind_null(statement_, index) != SQLITE_OK) return sqlite_error(sqlite3_db_handle(statement_), "bind");
  return {};
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(sqlite3_db_handle(statement_), "step");
}

Result<void> Statement::run() {
  while (true) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

int Statement::parameter_count() const { return sqlite3_bind_parameter_count(statement_); }

int Statement::column_count() const { return sqlite3_column_count(statement_); }

std::string Statement::column_name(int column) const {
  const char* name = sqlite3_column_name(statement_, column);
  return name ? name : "";
}

SqlValue Statement::column(int column) const {
  switch (sqlite3_column_type(statement_, column)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(statement_, column)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement_, column);
    case SQLITE_TEXT:
      return column_text(column);
    case SQLITE_BLOB: {
      const auto* data = static_cast<const char*>(sqlite3_column_blob(statement_, column));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_, column));
      return SqlBlob{data ? std::string(data, size) : std::string{}};
    }
    default:
      return std::monostate{};
  }
}

std::string Statement::column_text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_, column));
  return data ? std::string(data, size) : std::string{};
}

std::int64_t Statement::column_int64(int column) const { return sqlite3_column_int64(statement_, column); }

bool Statement::column_is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

bool Statement::read_only() const { return sqlite3_stmt_readonly(statement_) != 0; }

// --- Database ---

struct Database::CommitWatch {
  GroupCommit* group;
  std::filesystem::path path;
  std::shared_ptr<WalFile> wal;  // opened at the first commit, when the WAL surely exists
};

namespace {

// Nonzero turns the commit into a rollback: a WAL that cannot be synced must not take writes.
int report_commit(void* context) {
  auto& watch = *static_cast<Database::CommitWatch*>(context);
  if (!watch.wal) {
    auto opened = WalFile::open(watch.path);
    if (!opened) return 1;
    watch.wal = std::move(*opened);
  }
  watch.group->committed(watch.wal);
  return 0;
}

}  // namespace

Database::Database(sqlite3* db) : db_(db) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Result<Database> Database::open(const std::filesystem::path& path, GroupCommit* group) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  Database db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) return sqlite_error(raw, "open " + path.string());
  sqlite3_extended_result_codes(raw, 1);
  // Another process's lock (a command opening the files, a backup's checkpoint) is waited
  // for: up to 5 s from the command line, but only 100 ms in the server, whose one io thread
  // would otherwise stall every request; past it the call fails (503) and is retried.
  sqlite3_busy_timeout(raw, group ? 100 : 5000);
  // The server keeps 16 MiB of each database's pages (SQLite's default is 2 MiB): a ledger's
  // event-id index takes random inserts, and past the default every delivery read some of
  // its pages back with pread, a system call that is dear on this kind of machine
  // (bench/native-load.sh). serve bounds all caches together (sqlite3_soft_heap_limit64).
  // Not mmap: it would be faster still, but the mapped pages count as the server's resident
  // memory, which would then grow with the databases.
  constexpr std::string_view every_database =
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
  // The server checkpoints every 4,000 WAL pages, not SQLite's 1,000: a checkpoint copies a
  // page once however many versions of it the WAL holds, so the pages every commit rewrites
  // (an index's last page, the table's) are copied a quarter as often, and its two syncs
  // come a quarter as often. New calls went from 2,733 to 3,282/s (bench/native-load.sh);
  // at 8,000 the checkpoint's own pause showed in the p99 (59.6 ms against 45.3).
  const std::string settings =
      std::string(every_database) + (group ? " PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384;"
                                             " PRAGMA wal_autocheckpoint=4000;"
                                           : " PRAGMA synchronous=FULL;");
  if (auto setup = db.exec(settings); !setup) return setup.error();
  if (group) {
    db.watch_ = std::make_unique<CommitWatch>(CommitWatch{group, path, nullptr});
    sqlite3_commit_hook(raw, &report_commit, db.watch_.get());
  }
  return db;
}

Result<void> Database::exec(std::string_view sql) {
  const std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return sqlite_error(db_.get(), "exec");
  }
  return {};
}

Result<void> Database::run(std::string_view sql) {
  auto statement = prepare(sql);
  if (!statement) return statement.error();
  return statement->run();
}

Result<Statement> Database::prepare(std::string_view sql) {
  if (auto it = cache_.find(std::string(sql)); it != cache_.end()) return Statement(it->second.get(), nullptr);
  return prepare_uncached(sql, false);
}

Result<Statement> Database::prepare_object_sql(std::string_view sql) {
  const auto key = object_cache_key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) return Statement(it->second.get(), nullptr);
  return prepare_uncached(sql, true);
}

Result<Statement> Database::prepare_uncached(std::string_view sql, bool object_sql) {
  if (sql.size() > INT_MAX) return storage_error("sqlite: statement too large");
  if (object_sql) sqlite3_set_authorizer(db_.get(), &object_sql_authorizer, nullptr);
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const unsigned flags = SQLITE_PREPARE_PERSISTENT;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), length_of(sql), flags, &raw, &tail);
  if (object_sql) sqlite3_set_authorizer(db_.get(), nullptr, nullptr);
  StatementHandle statement(raw);
  if (rc != SQLITE_OK) return sqlite_error(db_.get(), "prepare");
  if (!statement) return storage_error("sqlite: no statement in the SQL");

  if (object_sql && tail) {
    // Whatever follows the first statement may only be blanks and comments.
    const auto rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
    sqlite3_stmt* extra = nullptr;
    const int extra_rc = sqlite3_prepare_v3(db_.get(), rest.data(), length_of(rest), 0, &extra, nullptr);
    const StatementHandle extra_handle(extra);
    if (extra_rc != SQLITE_OK || extra_handle) return storage_error("sqlite: sql.exec takes one statement");
  }

  sqlite3_stmt* const prepared = statement.get();
  if (cache_.size() >= max_cached_statements) return Statement(prepared, std::move(statement));
  auto key = object_sql ? object_cache_key(sql) : std::string(sql);
  cache_.emplace(std::move(key), std::move(statement));
  return Statement(prepared, nullptr);
}

}  // namespace frontdesk::native
