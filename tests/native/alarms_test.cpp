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

TEST_CASE("the host arms alarms and runs them in their object", "[alarms][host]") {
  HostFixture fixture;
  REQUIRE(fixture.store.alarm_put({"health", "probe"}, system_clock_ms() - 1).ok());
  REQUIRE(fixture.host.restore_alarms().ok());
  CHECK(fixture.host.alarms_armed() == 1);
  fixture.io.run();
  CHECK(fixture.host.alarms_armed() == 0);
  CHECK(fixture.store.alarms().value().empty());
}
