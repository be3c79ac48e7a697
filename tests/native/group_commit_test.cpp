// Group commit (group_commit.hpp): commits made together are made durable by one sync, and
// an answer waits for the sync that covers what was committed before it.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "group_commit.hpp"
#include "sqlite_store.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;

namespace {

Store open_grouped(const std::filesystem::path& path, GroupCommit& group) {
  auto opened = Store::open(path, system_clock_ms, &group);
  REQUIRE(opened.ok());
  return std::move(opened.value());
}

struct Grouped {
  TempDir dir;
  boost::asio::io_context io;
  GroupCommit group{io};
  Store store = open_grouped(dir / "fd.db", group);

  // Runs until every sync asked for so far is done.
  void settle() {
    io.restart();
    io.run();
  }
};

}  // namespace

TEST_CASE("group commit: an answer waits for the sync of what was committed before it") {
  Grouped grouped;
  grouped.settle();  // the schema's commits
  const auto syncs_before = grouped.group.syncs();

  REQUIRE(grouped.store.kv_put("k", "v", std::nullopt).ok());
  std::vector<bool> answered;
  grouped.store.after_durable([&](bool durable) { answered.push_back(durable); });
  CHECK(answered.empty());  // not before the sync

  grouped.settle();
  CHECK(answered == std::vector<bool>{true});
  CHECK(grouped.group.syncs() == syncs_before + 1);
  CHECK_FALSE(grouped.group.last_failure());
}

TEST_CASE("group commit: with nothing committed since the last sync, an answer goes at once") {
  Grouped grouped;
  grouped.settle();
  const auto syncs_before = grouped.group.syncs();
  REQUIRE(grouped.store.kv_get("absent").ok());  // a read commits nothing
  bool answered = false;
  grouped.store.after_durable([&](bool durable) { answered = durable; });
  CHECK(answered);
  grouped.settle();
  CHECK(grouped.group.syncs() == syncs_before);
}

TEST_CASE("group commit: the commits of many databases in one turn take one sync, answers in order") {
  Grouped grouped;
  grouped.settle();
  const auto syncs_before = grouped.group.syncs();

  std::vector<int> order;
  for (int n = 0; n < 5; ++n) {
    auto db = grouped.store.object({"ledger", "tenant" + std::to_string(n)});  // a new file each
    REQUIRE(db.ok());
    REQUIRE((*db)->begin().ok());
    REQUIRE((*db)->put("key", "value").ok());
    REQUIRE((*db)->commit().ok());
    grouped.store.after_durable([&order, n](bool durable) {
      CHECK(durable);
      order.push_back(n);
    });
  }
  grouped.settle();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(grouped.group.syncs() == syncs_before + 1);
}

TEST_CASE("group commit: what was answered is there after the databases are reopened") {
  TempDir dir;
  {
    boost::asio::io_context io;
    GroupCommit group(io);
    auto store = Store::open(dir / "fd.db", system_clock_ms, &group);
    REQUIRE(store.ok());
    auto db = store->object({"ledger", "acme"});
    REQUIRE(db.ok());
    REQUIRE((*db)->begin().ok());
    REQUIRE((*db)->put("call", "c1").ok());
    REQUIRE((*db)->commit().ok());
    bool answered = false;
    store->after_durable([&](bool durable) { answered = durable; });
    io.run();
    REQUIRE(answered);
  }
  auto reopened = open_store(dir / "fd.db");
  auto db = reopened.object({"ledger", "acme"});
  REQUIRE(db.ok());
  CHECK((*db)->get("call").value() == std::optional<std::string>("c1"));
}
