#include "alarms.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <tuple>
#include <utility>

namespace frontdesk::native {
namespace {

// Durable Objects retry a failed alarm handler up to six times, backing off from 2 s.
constexpr unsigned max_retries = 6;
constexpr std::int64_t first_retry_ms = 2000;

}  // namespace

AlarmScheduler::AlarmScheduler(boost::asio::io_context& io, Store& store, Clock clock, Runner runner)
    : io_(io), store_(store), clock_(std::move(clock)), runner_(std::move(runner)) {}

Result<void> AlarmScheduler::set(const ObjectKey& object, std::int64_t at_ms) {
  // Asked for now while an alarm that is also due waits to run: both mean "run next", so
  // the armed one stands. A ledger asks on every call that queues a command; this spares
  // each of them a write to the main database and a timer.
  const auto now = clock_();
  if (const auto it = timers_.find(object); it != timers_.end() && it->second.fire_at_ms <= now && at_ms <= now) {
    return {};
  }
  if (auto stored = store_.alarm_put(object, at_ms); !stored) return stored;
  arm(object, at_ms, at_ms, 0);
  return {};
}

Result<void> AlarmScheduler::restore() {
  auto stored = store_.alarms();
  if (!stored) return stored.error();
  // At once: what a run before the restart had leased is sent again now, not when its lease
  // would have run out (the object's first call releases leases of an earlier instance).
  for (const auto& alarm : *stored) arm(alarm.object, alarm.at_ms, std::min(alarm.at_ms, clock_()), 0);
  return {};
}

void AlarmScheduler::stop() {
  stopped_ = true;
  // Destroying a timer cancels its wait; the handlers see operation_aborted.
  timers_.clear();
}

void AlarmScheduler::arm(const ObjectKey& object, std::int64_t at_ms, std::int64_t fire_at_ms, unsigned attempt) {
  if (stopped_) return;
  auto& armed = timers_[object];  // replaces (and so cancels) an earlier timer of the object
  armed.generation = next_generation_++;
  armed.at_ms = at_ms;
  armed.fire_at_ms = fire_at_ms;
  armed.attempt = attempt;
  auto on_time = [this, object, at_ms, attempt, generation = armed.generation](boost::system::error_code ec) {
    if (ec) return;  // cancelled: replaced or stopped
    // A wait that completed just as it was replaced must not fire the replaced alarm.
    const auto it = timers_.find(object);
    if (it == timers_.end() || it->second.generation != generation) return;
    timers_.erase(it);
    fire(object, at_ms, attempt);
  };
  auto when = fire_at_ms;
  // finished() arms it again at its own time when the run ends first.
  if (const auto run = running_.find(object); run != running_.end()) {
    when = std::max(when, run->second.latest_start_ms + overlap_after_ms);
  }
  const auto delay = when - clock_();
  if (delay <= 0) {
    // Due already: a timer would cost a timerfd update for nothing.
    armed.timer.reset();
    boost::asio::post(io_, [alive = std::weak_ptr<const bool>(alive_), on_time = std::move(on_time)] {
      if (!alive.expired()) on_time({});
    });
    return;
  }
  armed.timer = std::make_unique<boost::asio::steady_timer>(io_);
  armed.timer->expires_after(std::chrono::milliseconds(delay));
  armed.timer->async_wait(std::move(on_time));
}

void AlarmScheduler::fire(const ObjectKey& object, std::int64_t at_ms, unsigned attempt) {
  auto& running = running_[object];
  ++running.runs;
  running.latest_start_ms = clock_();
  runner_(object, [this, object, at_ms, attempt](bool succeeded) {
    finished(object);
    if (succeeded) {
      // An alarm set again while this one ran (even for the same millisecond) stays. A failed
      // delete only means the alarm fires once more after a restart.
      if (!timers_.contains(object)) (void)store_.alarm_delete(object, at_ms);
      return;
    }
    // The handler may have set a new alarm meanwhile; that one takes over.
    if (timers_.contains(object)) return;
    if (attempt >= max_retries) {
      (void)store_.alarm_delete(object, at_ms);
      return;
    }
    arm(object, at_ms, clock_() + (first_retry_ms << attempt), attempt + 1);
  });
}

void AlarmScheduler::finished(const ObjectKey& object) {
  const auto run = running_.find(object);
  if (run == running_.end() || --run->second.runs > 0) return;
  running_.erase(run);
  // What was set during the run and held back for it goes at its own time now.
  if (const auto held = timers_.find(object); held != timers_.end()) {
    const auto [at_ms, fire_at_ms, attempt] = std::tuple{held->second.at_ms, held->second.fire_at_ms, held->second.attempt};
    arm(object, at_ms, fire_at_ms, attempt);
  }
}

}  // namespace frontdesk::native
