#pragma once
// WAL checkpoints off the io thread. SQLite checkpoints a WAL of 1000 pages in the
// connection whose commit took it past them: for the server's group-committed databases
// that is the io thread, and perf put an eighth of its time there under load. Those
// databases turn the automatic checkpoint off (sqlite.cpp) and ask here instead: a thread of
// its own opens a second connection to the file and runs a PASSIVE checkpoint, which copies
// what it can without blocking the writer and syncs the WAL before and the database after,
// as the automatic one does. One at a time per file.
// Under steady writes that copy can never catch up with the WAL's end, and SQLite starts
// the WAL over only once every frame is copied: so after each background copy the writer's
// next commit copies the few frames written meanwhile itself (finish_here), and its next
// transaction starts the WAL from the beginning.
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>

namespace frontdesk::native {

class Checkpointer {
 public:
  // SQLite's own default threshold (wal_autocheckpoint).
  static constexpr int pages = 1000;

  Checkpointer() = default;
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  ~Checkpointer();

  enum class Next { nothing, finish_here };
  // From SQLite's WAL hook, on the committing thread: the file's WAL now holds `frames`.
  Next wal_grew(const std::filesystem::path& database, int frames);

  std::uint64_t checkpoints() const;

 private:
  void checkpoint(const std::filesystem::path& database);

  mutable std::mutex mutex_;
  std::set<std::filesystem::path> running_;
  std::set<std::filesystem::path> copied_;  // by the thread; the writer finishes
  std::uint64_t checkpoints_ = 0;
  boost::asio::thread_pool thread_{1};
};

}  // namespace frontdesk::native
