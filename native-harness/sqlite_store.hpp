#pragma once
// The host's persistent state, all in SQLite: the main database file (--db) holds the
// global key-value table and the alarms; each object has a database file of its own
// under <db>.objects/<kind>/<id>.sqlite.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clock.hpp"
#include "core/effects.hpp"
#include "core/result.hpp"
#include "object_database.hpp"
#include "object_key.hpp"
#include "sqlite.hpp"

namespace frontdesk::native {

struct StoredAlarm {
  ObjectKey object;
  std::int64_t at_ms = 0;
};

class Store {
 public:
  // With a group, commits are made durable in groups (group_commit.hpp): an answer that
  // depends on them waits in after_durable.
  static Result<Store> open(const std::filesystem::path& db_path, Clock clock = system_clock_ms,
                            GroupCommit* group = nullptr);

  // Runs done(true) once every commit made so far is durable (at once without a group),
  // done(false) if making it so failed.
  void after_durable(std::function<void(bool)> done);

  // --- global key-value table; expired keys read as absent ---
  Result<std::optional<std::string>> kv_get(std::string_view key);
  Result<void> kv_put(std::string_view key, std::string_view value, std::optional<std::int64_t> ttl_s);
  Result<void> kv_delete(std::string_view key);
  // One page of keys with prefix after cursor, in key order; the page's cursor is its
  // last key when more may follow, "" when the listing is complete.
  Result<KvListPage> kv_list(std::string_view prefix, std::string_view cursor, std::uint32_t limit);

  // --- alarms: at most one per object, as for a Durable Object ---
  Result<void> alarm_put(const ObjectKey& object, std::int64_t at_ms);
  // Deletes the object's alarm only if it is still the one set for at_ms (the alarm
  // handler may have set the next one meanwhile).
  Result<void> alarm_delete(const ObjectKey& object, std::int64_t at_ms);
  Result<std::vector<StoredAlarm>> alarms();

  // --- objects ---
  // The object's database, opened on first use and kept open while it is in use or among
  // the recently used ones.
  Result<std::shared_ptr<ObjectDatabase>> object(const ObjectKey& object);
  std::filesystem::path object_path(const ObjectKey& object) const;
  // The ids of every object of a kind that has ever been opened.
  Result<std::vector<std::string>> object_ids(std::string_view kind);

  const std::filesystem::path& path() const { return path_; }

  // Object databases kept open while idle (each holds a few files); the rest close.
  void limit_open_objects(std::size_t count) { max_open_objects_ = count; }
  std::size_t open_objects_limit() const { return max_open_objects_; }
  std::size_t open_objects() const { return objects_.size(); }
  // Null when each commit syncs on its own (the command line).
  const GroupCommit* group() const { return group_; }

 private:
  Store(std::filesystem::path path, Clock clock, Database main, GroupCommit* group);
  void evict_idle_objects();
  Result<void> purge_expired();

  std::filesystem::path path_;
  Clock clock_;
  Database main_;
  GroupCommit* group_;
  struct OpenObject {
    std::shared_ptr<ObjectDatabase> db;
    std::uint64_t last_used = 0;
  };
  std::map<ObjectKey, OpenObject> objects_;
  std::uint64_t uses_ = 0;
  std::size_t max_open_objects_ = 256;
  std::uint64_t puts_since_purge_ = 0;
};

}  // namespace frontdesk::native
