#include "checkpointer.hpp"

#include <sqlite3.h>

#include <boost/asio/post.hpp>

namespace frontdesk::native {

Checkpointer::~Checkpointer() { thread_.join(); }

Checkpointer::Next Checkpointer::wal_grew(const std::filesystem::path& database, int frames) {
  {
    const std::lock_guard lock(mutex_);
    if (copied_.erase(database) > 0) return Next::finish_here;
    if (frames < pages || !running_.insert(database).second) return Next::nothing;
  }
  boost::asio::post(thread_, [this, database] { checkpoint(database); });
  return Next::nothing;
}

void Checkpointer::checkpoint(const std::filesystem::path& database) {
  sqlite3* db = nullptr;
  // A failure here only leaves the WAL longer: the next commit past the threshold asks again.
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  sqlite3_close_v2(db);
  const std::lock_guard lock(mutex_);
  running_.erase(database);
  copied_.insert(database);
  ++checkpoints_;
}

std::uint64_t Checkpointer::checkpoints() const {
  const std::lock_guard lock(mutex_);
  return checkpoints_;
}

}  // namespace frontdesk::native
