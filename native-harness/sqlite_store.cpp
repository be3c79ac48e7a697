#include "sqlite_store.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

namespace frontdesk::native {
namespace {

constexpr std::string_view schema = R"sql(
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER);
CREATE TABLE IF NOT EXISTS objects (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS alarms (kind TEXT NOT NULL, id TEXT NOT NULL, at_ms INTEGER NOT NULL,
                                   PRIMARY KEY (kind, id));
)sql";

// Beyond the limit of open object databases, the least recently used idle ones are closed,
// a few at a time.
constexpr std::size_t objects_closed_at_once = 4;

// Expired keys read as absent at once; their rows are deleted now and then.
constexpr std::uint64_t puts_between_purges = 1000;

constexpr std::uint32_t max_kv_page = 1000;

Error storage_error(std::string message) { return Error{ErrorCode::storage_unavailable, std::move(message)}; }

}  // namespace

Store::Store(std::filesystem::path path, Clock clock, Database main, GroupCommit* group)
    : path_(std::move(path)), clock_(std::move(clock)), main_(std::move(main)), group_(group) {}

Result<Store> Store::open(const std::filesystem::path& db_path, Clock clock, GroupCommit* group) {
  auto main = Database::open(db_path, group);
  if (!main) return main.error();
  if (auto created = main->exec(schema); !created) return created.error();
  Store store(db_path, std::move(clock), std::move(*main), group);
  if (auto purged = store.purge_expired(); !purged) return purged.error();
  return store;
}

void Store::after_durable(std::function<void(bool)> done) {
  if (!group_) return done(true);
  group_->after_durable(std::move(done));
}

// --- kv ---

Result<std::optional<std::string>> Store::kv_get(std::string_view key) {
  auto statement = main_.prepare("SELECT value FROM kv WHERE key = ?1 AND (expires_at IS NULL OR expires_at > ?2)");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_text(1, key); !bound) return bound.error();
  if (auto bound = statement->bind_int64(2, clock_()); !bound) return bound.error();
  auto row = statement->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{statement->column_text(0)};
}

Result<void> Store::kv_put(std::string_view key, std::string_view value, std::optional<std::int64_t> ttl_s) {
  {
    auto statement = main_.prepare(
        "INSERT INTO kv (key, value, expires_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at");
    if (!statement) return statement.error();
    if (auto bound = statement->bind_text(1, key); !bound) return bound;
    if (auto bound = statement->bind_text(2, value); !bound) return bound;
    if (ttl_s) {
      // Saturate rather than overflow on absurd TTLs.
      const auto ttl_ms = std::clamp<std::int64_t>(*ttl_s, -(std::int64_t{1} << 40), std::int64_t{1} << 40) * 1000;
      if (auto bound = statement->bind_int64(3, clock_() + ttl_ms); !bound) return bound;
    } else if (auto bound = statement->bind_null(3); !bound) {
      return bound;
    }
    if (auto ran = statement->run(); !ran) return ran;
  }
  if (++puts_since_purge_ >= puts_between_purges) {
    puts_since_purge_ = 0;
    // The put itself succeeded; a failed clean-up is retried next time.
    (void)purge_expired();
  }
  return {};
}

Result<void> Store::kv_delete(std::string_view key) {
  auto statement = main_.prepare("DELETE FROM kv WHERE key = ?1");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_text(1, key); !bound) return bound;
  return statement->run();
}

Result<KvListPage> Store::kv_list(std::string_view prefix, std::string_view cursor, std::uint32_t limit) {
  const auto page_size = std::clamp<std::uint32_t>(limit, 1, max_kv_page);
  auto statement = main_.prepare(
      "SELECT key FROM kv WHERE key >= ?1 AND (?2 IS NULL OR key < ?2) AND key > ?3 "
      "AND (expires_at IS NULL OR expires_at > ?4) ORDER BY key LIMIT ?5");
  if (!statement) return statement.error();
  const auto end = prefix_end(prefix);
  if (auto bound = statement->bind_text(1, prefix); !bound) return bound.error();
  if (auto bound = end ? statement->bind_text(2, *end) : statement->bind_null(2); !bound) return bound.error();
  if (auto bound = statement->bind_text(3, cursor); !bound) return bound.error();
  if (auto bound = statement->bind_int64(4, clock_()); !bound) return bound.error();
  // One row more than the page tells whether another page follows.
  if (auto bound = statement->bind_int64(5, std::int64_t{page_size} + 1); !bound) return bound.error();
  KvListPage page;
  while (true) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    page.keys.push_back(statement->column_text(0));
  }
  if (page.keys.size() > page_size) {
    page.keys.pop_back();
    page.cursor = page.keys.back();
  }
  return page;
}

Result<void> Store::purge_expired() {
  auto statement = main_.prepare("DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?1");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_int64(1, clock_()); !bound) return bound;
  return statement->run();
}

// --- alarms ---

Result<void> Store::alarm_put(const ObjectKey& object, std::int64_t at_ms) {
  auto statement = main_.prepare(
      "INSERT INTO alarms (kind, id, at_ms) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (kind, id) DO UPDATE SET at_ms = excluded.at_ms");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_text(1, object.kind); !bound) return bound;
  if (auto bound = statement->bind_text(2, object.id); !bound) return bound;
  if (auto bound = statement->bind_int64(3, at_ms); !bound) return bound;
  return statement->run();
}

Result<void> Store::alarm_delete(const ObjectKey& object, std::int64_t at_ms) {
  auto statement = main_.prepare("DELETE FROM alarms WHERE kind = ?1 AND id = ?2 AND at_ms = ?3");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_text(1, object.kind); !bound) return bound;
  if (auto bound = statement->bind_text(2, object.id); !bound) return bound;
  if (auto bound = statement->bind_int64(3, at_ms); !bound) return bound;
  return statement->run();
}

Result<std::vector<StoredAlarm>> Store::alarms() {
  auto statement = main_.prepare("SELECT kind, id, at_ms FROM alarms ORDER BY at_ms");
  if (!statement) return statement.error();
  std::vector<StoredAlarm> alarms;
  while (true) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    alarms.push_back({{statement->column_text(0), statement->column_text(1)}, statement->column_int64(2)});
  }
  return alarms;
}

// --- objects ---

std::filesystem::path Store::object_path(const ObjectKey& object) const {
  auto directory = path_;
  directory += ".objects";
  return directory / file_name_component(object.kind) / (file_name_component(object.id) + ".sqlite");
}

Result<std::shared_ptr<ObjectDatabase>> Store::object(const ObjectKey& object) {
  if (auto it = objects_.find(object); it != objects_.end()) {
    it->second.last_used = ++uses_;
    return it->second.db;
  }
  evict_idle_objects();
  const auto path = object_path(object);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return storage_error("cannot create " + path.parent_path().string() + ": " + ec.message());
  auto opened = ObjectDatabase::open(path, group_);
  if (!opened) return opened.error();
  // File names may be shortened or encoded; the registry keeps the real ids so the
  // objects of a kind can be listed (frontdesk events reads every ledger).
  auto registered = main_.prepare("INSERT INTO objects (kind, id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  if (!registered) return registered.error();
  if (auto bound = registered->bind_text(1, object.kind); !bound) return bound.error();
  if (auto bound = registered->bind_text(2, object.id); !bound) return bound.error();
  if (auto ran = registered->run(); !ran) return ran.error();
  std::shared_ptr<ObjectDatabase> db = std::move(*opened);
  objects_.emplace(object, OpenObject{db, ++uses_});
  return db;
}

Result<std::vector<std::string>> Store::object_ids(std::string_view kind) {
  auto statement = main_.prepare("SELECT id FROM objects WHERE kind = ?1 ORDER BY id");
  if (!statement) return statement.error();
  if (auto bound = statement->bind_text(1, kind); !bound) return bound.error();
  std::vector<std::string> ids;
  while (true) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    ids.push_back(statement->column_text(0));
  }
  return ids;
}

void Store::evict_idle_objects() {
  if (objects_.size() < max_open_objects_) return;
  // An object in a call holds its database (use_count > 1), and one between the calls of a
  // group holds its transaction: only the others are idle. The least recently used few
  // go, so no request waits for many files to close at once.
  std::vector<std::map<ObjectKey, OpenObject>::iterator> idle;
  for (auto it = objects_.begin(); it != objects_.end(); ++it) {
    if (it->second.db.use_count() == 1 && !it->second.db->in_transaction()) idle.push_back(it);
  }
  const auto count = std::min(idle.size(), objects_closed_at_once);
  std::partial_sort(idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(count), idle.end(),
                    [](const auto& a, const auto& b) { return a->second.last_used < b->second.last_used; });
  for (std::size_t i = 0; i < count; ++i) {
    auto db = std::move(idle[i]->second.db);
    objects_.erase(idle[i]);
    // Closing checkpoints the WAL and syncs: with a group, off the io thread.
    if (group_) group_->close_later(std::move(db));
  }
}

}  // namespace frontdesk::native
