#pragma once
// Group commit for the server: databases opened with a GroupCommit commit with
// synchronous=NORMAL (the WAL is written, not synced), and the WAL files written since the
// last sync are made durable together, by one fdatasync each, on a thread of their own
// while the io thread serves the next requests. An answer leaves only once every commit
// made before it is durable (after_durable), as a Durable Object's output gate holds
// its replies: the same promise as an fsync per commit, at one sync per batch.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace frontdesk::native {

// A database's WAL file, held open for syncing. The first sync also syncs its directory,
// so a newly created WAL (or database) is found after a crash.
class WalFile {
 public:
  static Result<std::shared_ptr<WalFile>> open(const std::filesystem::path& database_path);
  WalFile(int fd, std::filesystem::path directory) : fd_(fd), directory_(std::move(directory)) {}
  WalFile(const WalFile&) = delete;
  WalFile& operator=(const WalFile&) = delete;
  ~WalFile();

  // On the syncer's thread only.
  Result<void> sync();

 private:
  int fd_;
  std::filesystem::path directory_;
  bool directory_synced_ = false;
};

class GroupCommit {
 public:
  // Completions run on io's thread.
  explicit GroupCommit(boost::asio::io_context& io);
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;
  ~GroupCommit();

  // A database committed a write to this WAL (called from SQLite's commit hook).
  void committed(const std::shared_ptr<WalFile>& wal);
  // Runs done(true) once everything committed so far is durable — at once when it already
  // is — or done(false) when the sync that should have made it so failed.
  void after_durable(std::function<void(bool)> done);

  // Lets go of something whose destruction may sync (a database closing checkpoints its
  // WAL) on the syncer thread, after the syncs already asked for.
  void close_later(std::shared_ptr<void> closing);

  std::uint64_t syncs() const { return syncs_; }
  std::uint64_t commits() const { return written_; }
  // The last sync's failure, if it failed (the server logs it).
  const std::optional<std::string>& last_failure() const { return last_failure_; }

 private:
  void start_sync();
  void finish_sync(std::uint64_t covered, bool durable, std::optional<std::string> failure);

  boost::asio::io_context& io_;
  std::uint64_t written_ = 0;  // commits seen
  std::uint64_t synced_ = 0;   // commits known durable (or failed) so far
  std::uint64_t syncs_ = 0;
  bool syncing_ = false;
  bool start_posted_ = false;
  std::vector<std::shared_ptr<WalFile>> dirty_;
  std::deque<std::pair<std::uint64_t, std::function<void(bool)>>> waiting_;
  std::optional<std::string> last_failure_;
  // Keeps io.run() going while a sync is out on the syncer thread.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  boost::asio::thread_pool syncer_{1};
};

}  // namespace frontdesk::native
