#pragma once
// Object alarms (alarm.set): persisted in the main database so they survive a restart,
// armed as timers on the io_context. A fired alarm runs the object's alarm handler; it is
// deleted once the handler succeeds and retried with backoff when it fails, as at the edge.
// As at the edge, an object's alarm set while its handler runs waits for that run to end, so
// under load one run takes a batch instead of each queued command starting its own; unlike
// the edge, it waits at most `overlap_after_ms`, so a run stuck on a hanging request holds
// up nothing else for long.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "clock.hpp"
#include "core/result.hpp"
#include "object_key.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {

class AlarmScheduler {
 public:
  // Runs the object's alarm handler and reports whether it succeeded.
  using Runner = std::function<void(const ObjectKey&, std::function<void(bool succeeded)>)>;

  AlarmScheduler(boost::asio::io_context& io, Store& store, Clock clock, Runner runner);
  AlarmScheduler(const AlarmScheduler&) = delete;
  AlarmScheduler& operator=(const AlarmScheduler&) = delete;

  // Replaces the object's alarm (one per object).
  Result<void> set(const ObjectKey& object, std::int64_t at_ms);
  // Arms every persisted alarm (startup); ones already due fire at once.
  Result<void> restore();
  // Disarms every timer (shutdown); persisted alarms fire after the next start.
  void stop();

  std::size_t armed() const { return timers_.size(); }

  static constexpr std::int64_t overlap_after_ms = 250;

 private:
  struct Armed {
    // Null for an alarm already due: it is posted to run next, without a timer.
    std::unique_ptr<boost::asio::steady_timer> timer;
    std::uint64_t generation = 0;
    std::int64_t at_ms = 0;
    std::int64_t fire_at_ms = 0;  // as asked; a run in progress may hold it back
    unsigned attempt = 0;
  };
  struct Running {
    unsigned runs = 0;
    std::int64_t latest_start_ms = 0;
  };
  void arm(const ObjectKey& object, std::int64_t at_ms, std::int64_t fire_at_ms, unsigned attempt);
  void fire(const ObjectKey& object, std::int64_t at_ms, unsigned attempt);
  void finished(const ObjectKey& object);

  boost::asio::io_context& io_;
  Store& store_;
  Clock clock_;
  Runner runner_;
  std::map<ObjectKey, Armed> timers_;
  std::map<ObjectKey, Running> running_;
  std::uint64_t next_generation_ = 1;
  bool stopped_ = false;
  // A posted alarm may run after this scheduler is gone (a timer's wait is cancelled
  // instead); it holds this weakly.
  std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true);
};

}  // namespace frontdesk::native
