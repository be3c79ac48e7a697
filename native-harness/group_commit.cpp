#include "group_commit.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

namespace frontdesk::native {
namespace {

Error sync_error(const std::string& what) {
  return Error{ErrorCode::storage_unavailable, what + ": " + std::strerror(errno)};
}

Result<void> sync_directory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sync_error("cannot open " + directory.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return sync_error("cannot sync " + directory.string());
  return {};
}

}  // namespace

Result<std::shared_ptr<WalFile>> WalFile::open(const std::filesystem::path& database_path) {
  auto wal_path = database_path;
  wal_path += "-wal";
  const int fd = ::open(wal_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sync_error("cannot open " + wal_path.string());
  auto directory = database_path.parent_path();
  if (directory.empty()) directory = ".";
  return std::make_shared<WalFile>(fd, std::move(directory));
}

WalFile::~WalFile() { ::close(fd_); }

Result<void> WalFile::sync() {
  if (::fdatasync(fd_) != 0) return sync_error("cannot sync a write-ahead log");
  if (!directory_synced_) {
    if (auto synced = sync_directory(directory_); !synced) return synced;
    directory_synced_ = true;
  }
  return {};
}

GroupCommit::GroupCommit(boost::asio::io_context& io) : io_(io) {}

GroupCommit::~GroupCommit() { syncer_.join(); }

void GroupCommit::committed(const std::shared_ptr<WalFile>& wal) {
  ++written_;
  if (std::find(dirty_.begin(), dirty_.end(), wal) == dirty_.end()) dirty_.push_back(wal);
  // Not started here: the commit is still under way inside SQLite. The next answer that
  // waits starts it, or the end of this turn of the io loop does.
  if (!syncing_ && !start_posted_) {
    start_posted_ = true;
    boost::asio::post(io_, [this] {
      start_posted_ = false;
      if (written_ > synced_) start_sync();
    });
  }
}

void GroupCommit::after_durable(std::function<void(bool)> done) {
  if (written_ == synced_) return done(true);
  waiting_.emplace_back(written_, std::move(done));
}

void GroupCommit::close_later(std::shared_ptr<void> closing) {
  boost::asio::post(syncer_, [closing = std::move(closing)]() mutable { closing.reset(); });
}

void GroupCommit::start_sync() {
  if (syncing_) return;
  syncing_ = true;
  ++syncs_;
  work_.emplace(io_.get_executor());
  const auto covered = written_;
  boost::asio::post(syncer_, [this, covered, files = std::exchange(dirty_, {})] {
    std::optional<std::string> failure;
    for (const auto& file : files) {
      if (auto synced = file->sync(); !synced) {
        failure = synced.error().message;
        break;
      }
    }
    boost::asio::post(io_, [this, covered, failure = std::move(failure)]() mutable {
      finish_sync(covered, !failure, std::move(failure));
    });
  });
}

void GroupCommit::finish_sync(std::uint64_t covered, bool durable, std::optional<std::string> failure) {
  syncing_ = false;
  work_.reset();
  synced_ = covered;
  if (failure) last_failure_ = std::move(failure);
  // Answers are released in the order they were made.
  while (!waiting_.empty() && waiting_.front().first <= covered) {
    auto done = std::move(waiting_.front().second);
    waiting_.pop_front();
    done(durable);
  }
  if (written_ > synced_) start_sync();
}

}  // namespace frontdesk::native
