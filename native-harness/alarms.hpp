#pragma once
// Object alarms (alarm.set): persisted in the main database so they survive a restart,
// armed as timers on the io_context. A fired alarm runs the object's alarm handler; it is
// deleted once the handler succeeds and retried with backoff when it fails, as at the edge.
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

 private:
  struct Armed {
    std::unique_ptr<boost::asio::steady_timer> timer;
    std::uint64_t generation = 0;
  };
  void arm(const ObjectKey& object, std::int64_t at_ms, std::int64_t fire_at_ms, unsigned attempt);
  void fire(const ObjectKey& object, std::int64_t at_ms, unsigned attempt);

  boost::asio::io_context& io_;
  Store& store_;
  Clock clock_;
  Runner runner_;
  std::map<ObjectKey, Armed> timers_;
  std::uint64_t next_generation_ = 1;
  bool stopped_ = false;
};

}  // namespace frontdesk::native
