// Alarms: persisted, armed on timers, restored after a restart, retried on failure.
#include <catch2/catch.hpp>
#include <chrono>

#include "alarms.hpp"
#include "support.hpp"

using namespace frontdesk::native;
using namespace frontdesk::native::test;

TEST_CASE("an alarm fires once at its time and is then deleted", "[alarms]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  boost::asio::io_context io;
  std::vector<ObjectKey> fired;
  AlarmScheduler alarms(io, store, system_clock_ms, [&](const ObjectKey& object, std::function<void(bool)> done) {
    fired.push_back(object);
    done(true);
  });
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(alarms.set({"ledger", "acme"}, system_clock_ms() + 30).ok());
  CHECK(store.alarms().value().size() == 1);
  io.run();
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(25));
  CHECK(fired == std::vector<ObjectKey>{{"ledger", "acme"}});
  CHECK(store.alarms().value().empty());
}

TEST_CASE("setting an alarm again replaces the earlier one", "[alarms]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  boost::asio::io_context io;
  int fired = 0;
  AlarmScheduler alarms(io, store, system_clock_ms, [&](const ObjectKey&, std::function<void(bool)> done) {
    ++fired;
    done(true);
  });
  REQUIRE(alarms.set({"ledger", "acme"}, system_clock_ms() + 5).ok());
  REQUIRE(alarms.set({"ledger", "acme"}, system_clock_ms() + 20).ok());
  io.run();
  CHECK(fired == 1);
  CHECK(store.alarms().value().empty());
}

TEST_CASE("persisted alarms are armed again after a restart", "[alarms]") {
  TempDir dir;
  {
    auto store = open_store(dir / "fd.db");
    boost::asio::io_context io;
    AlarmScheduler alarms(io, store, system_clock_ms, [](const ObjectKey&, std::function<void(bool)>) {
      FAIL("must not fire before the restart");
    });
    REQUIRE(alarms.set({"ledger", "due"}, system_clock_ms() - 1000).ok());
    REQUIRE(alarms.set({"ledger", "soon"}, system_clock_ms() + 10).ok());
    alarms.stop();  // shutdown before either fired
    io.run();
  }
  auto store = open_store(dir / "fd.db");
  boost::asio::io_context io;
  std::vector<std::string> fired;
  AlarmScheduler alarms(io, store, system_clock_ms, [&](const ObjectKey& object, std::function<void(bool)> done) {
    fired.push_back(object.id);
    done(true);
  });
  REQUIRE(alarms.restore().ok());
  CHECK(alarms.armed() == 2);
  io.run();
  CHECK(fired == std::vector<std::string>{"due", "soon"});
  CHECK(store.alarms().value().empty());
}

TEST_CASE("a failed alarm stays persisted and is retried", "[alarms]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  boost::asio::io_context io;
  int runs = 0;
  AlarmScheduler alarms(io, store, system_clock_ms, [&](const ObjectKey&, std::function<void(bool)> done) {
    ++runs;
    done(false);
  });
  REQUIRE(alarms.set({"ledger", "acme"}, system_clock_ms()).ok());
  io.run_for(std::chrono::milliseconds(200));
  CHECK(runs == 1);
  CHECK(alarms.armed() == 1);  // the retry, a couple of seconds later
  CHECK(store.alarms().value().size() == 1);
  alarms.stop();
  io.run();
}

TEST_CASE("an alarm asked for again while one already due waits fires once, and nothing stays persisted", "[alarms]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  boost::asio::io_context io;
  int fired = 0;
  AlarmScheduler alarms(io, store, system_clock_ms, [&](const ObjectKey&, std::function<void(bool)> done) {
    ++fired;
    done(true);
  });
  const auto now = system_clock_ms();
  REQUIRE(alarms.set({"ledger", "acme"}, now - 5).ok());
  REQUIRE(alarms.set({"ledger", "acme"}, now).ok());
  io.run();
  CHECK(fired == 1);
  CHECK(store.alarms().value().empty());
}

namespace {

// A scheduler whose runs are held until the test ends them: running[i](true) finishes run i.
struct HeldRuns {
  TempDir dir;
  Store store = open_store(dir / "fd.db");
  boost::asio::io_context io;
  std::vector<std::function<void(bool)>> running;
  AlarmScheduler alarms{io, store, system_clock_ms,
                        [this](const ObjectKey&, std::function<void(bool)> done) { running.push_back(std::move(done)); }};

  // run_for stops once io runs out of work; restart lets it run again.
  void run_for(std::chrono::milliseconds wait) {
    io.restart();
    io.run_for(wait);
  }
  ~HeldRuns() {
    alarms.stop();
    io.restart();
    io.run();
  }
};

}  // namespace

TEST_CASE("an alarm set while the object's alarm runs waits for that run to end", "[alarms]") {
  HeldRuns held;
  REQUIRE(held.alarms.set({"ledger", "acme"}, system_clock_ms()).ok());
  held.run_for(std::chrono::milliseconds(20));
  REQUIRE(held.running.size() == 1);
  // The run's own commands (or a webhook's) ask for the alarm again while it runs.
  REQUIRE(held.alarms.set({"ledger", "acme"}, system_clock_ms()).ok());
  REQUIRE(held.alarms.set({"ledger", "other"}, system_clock_ms()).ok());
  held.run_for(std::chrono::milliseconds(100));
  CHECK(held.running.size() == 2);  // another object's alarm is not held back
  CHECK(held.store.alarms().value().size() == 2);
  held.running[0](true);
  held.run_for(std::chrono::milliseconds(50));
  REQUIRE(held.running.size() == 3);  // the held one, as soon as the run ended
  held.running[1](true);
  held.running[2](true);
  CHECK(held.store.alarms().value().empty());
}

TEST_CASE("a run that outlasts overlap_after_ms no longer holds the object's next alarm back", "[alarms]") {
  HeldRuns held;
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(held.alarms.set({"ledger", "acme"}, system_clock_ms()).ok());
  held.run_for(std::chrono::milliseconds(20));
  REQUIRE(held.running.size() == 1);
  REQUIRE(held.alarms.set({"ledger", "acme"}, system_clock_ms()).ok());  // the first run hangs on a request
  while (held.running.size() < 2 && std::chrono::steady_clock::now() - start < std::chrono::seconds(2)) {
    held.run_for(std::chrono::milliseconds(10));
  }
  REQUIRE(held.running.size() == 2);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(AlarmScheduler::overlap_after_ms - 5));
  held.running[1](true);
  held.running[0](true);
  CHECK(held.store.alarms().value().empty());
}

TEST_CASE("the host arms alarms and runs them in their object", "[alarms][host]") {
  HostFixture fixture;
  REQUIRE(fixture.store.alarm_put({"health", "probe"}, system_clock_ms() - 1).ok());
  REQUIRE(fixture.host.restore_alarms().ok());
  CHECK(fixture.host.alarms_armed() == 1);
  fixture.io.run();
  CHECK(fixture.host.alarms_armed() == 0);
  CHECK(fixture.store.alarms().value().empty());
}
