// The global KV table, alarms table and object files of the SQLite store.
#include <catch2/catch.hpp>

#include "local_effects.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;

TEST_CASE("kv: put, get, overwrite, delete", "[store][kv]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  CHECK(store.kv_get("a").value() == std::nullopt);
  REQUIRE(store.kv_put("a", "1", std::nullopt).ok());
  CHECK(store.kv_get("a").value() == std::optional<std::string>("1"));
  REQUIRE(store.kv_put("a", "2", std::nullopt).ok());
  CHECK(store.kv_get("a").value() == std::optional<std::string>("2"));
  REQUIRE(store.kv_delete("a").ok());
  CHECK(store.kv_get("a").value() == std::nullopt);
  REQUIRE(store.kv_delete("never-there").ok());
}

TEST_CASE("kv: values are bytes, keys are exact", "[store][kv]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  const std::string binary("a\0b\xff", 4);
  REQUIRE(store.kv_put("k", binary, std::nullopt).ok());
  CHECK(store.kv_get("k").value() == std::optional<std::string>(binary));
  CHECK(store.kv_get("K").value() == std::nullopt);
}

TEST_CASE("kv: expired keys read as absent", "[store][kv]") {
  TempDir dir;
  std::int64_t now = 1'700'000'000'000;
  auto store = open_store(dir / "fd.db", [&] { return now; });
  REQUIRE(store.kv_put("session", "s", 60).ok());
  REQUIRE(store.kv_put("forever", "f", std::nullopt).ok());
  now += 59'999;
  CHECK(store.kv_get("session").value() == std::optional<std::string>("s"));
  now += 1;
  CHECK(store.kv_get("session").value() == std::nullopt);
  CHECK(store.kv_list("", "", 10).value().keys == std::vector<std::string>{"forever"});
  // A put without ttl makes the key permanent again.
  REQUIRE(store.kv_put("session", "t", std::nullopt).ok());
  now += 1'000'000'000;
  CHECK(store.kv_get("session").value() == std::optional<std::string>("t"));
}

TEST_CASE("kv: expired keys are purged when the store opens", "[store][kv]") {
  TempDir dir;
  std::int64_t now = 1'700'000'000'000;
  {
    auto store = open_store(dir / "fd.db", [&] { return now; });
    REQUIRE(store.kv_put("gone", "x", 1).ok());
  }
  now += 5'000;
  auto store = open_store(dir / "fd.db", [&] { return now; });
  now -= 5'000;  // even with the clock turned back, the row itself is gone
  CHECK(store.kv_get("gone").value() == std::nullopt);
}

TEST_CASE("kv: list by prefix in key order, page by page", "[store][kv]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  for (const auto* key : {"user:c", "user:a", "other", "user:b", "user;", "user:d", "use"}) {
    REQUIRE(store.kv_put(key, "v", std::nullopt).ok());
  }
  const auto first = store.kv_list("user:", "", 2).value();
  CHECK(first.keys == std::vector<std::string>{"user:a", "user:b"});
  CHECK(first.cursor == "user:b");
  const auto second = store.kv_list("user:", first.cursor, 2).value();
  CHECK(second.keys == std::vector<std::string>{"user:c", "user:d"});
  // Exactly a page's worth left: the next page says so with an empty cursor.
  CHECK(second.cursor == "");
  const auto all = store.kv_list("", "", 1000).value();
  CHECK(all.keys.size() == 7);
  CHECK(all.cursor == "");
  CHECK(store.kv_list("nothing", "", 10).value().keys.empty());
}

TEST_CASE("kv: a prefix ending in 0xFF bytes still bounds the range", "[store][kv]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  const std::string prefix("p\xff", 2);
  REQUIRE(store.kv_put(prefix + "1", "v", std::nullopt).ok());
  REQUIRE(store.kv_put("q", "v", std::nullopt).ok());
  CHECK(store.kv_list(prefix, "", 10).value().keys == std::vector<std::string>{prefix + "1"});
  CHECK(prefix_end("ab") == std::optional<std::string>("ac"));
  CHECK(prefix_end(std::string("a\xff", 2)) == std::optional<std::string>("b"));
  CHECK(prefix_end("") == std::nullopt);
}

TEST_CASE("alarms: one per object, deleted only if unchanged", "[store][alarms]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  const ObjectKey ledger{"ledger", "acme"};
  REQUIRE(store.alarm_put(ledger, 100).ok());
  REQUIRE(store.alarm_put(ledger, 200).ok());
  REQUIRE(store.alarm_put({"ledger", "other"}, 50).ok());
  auto alarms = store.alarms().value();
  REQUIRE(alarms.size() == 2);
  CHECK(alarms[0].object == ObjectKey{"ledger", "other"});
  CHECK(alarms[1].at_ms == 200);
  REQUIRE(store.alarm_delete(ledger, 100).ok());
  CHECK(store.alarms().value().size() == 2);
  REQUIRE(store.alarm_delete(ledger, 200).ok());
  CHECK(store.alarms().value().size() == 1);
}

TEST_CASE("object files: one per object, names made safe", "[store][objects]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  const auto base = (dir / "fd.db.objects").string();
  CHECK(store.object_path({"ledger", "acme"}).string() == base + "/ledger/acme.sqlite");
  CHECK(store.object_path({"call", "v3:abc/../x y"}).string() == base + "/call/v3%3Aabc%2F..%2Fx%20y.sqlite");
  CHECK(file_name_component("..") == "%2E%2E");
  CHECK(file_name_component(".") == "%2E");
  CHECK(file_name_component("") == "%");
  CHECK(file_name_component("A-z_0.9") == "A-z_0.9");
  const auto long_name = file_name_component(std::string(400, 'x'));
  CHECK(long_name.size() <= 180);
  CHECK(long_name != file_name_component(std::string(401, 'x')));

  auto first = store.object({"ledger", "acme"});
  auto again = store.object({"ledger", "acme"});
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  CHECK(first->get() == again->get());
  CHECK(std::filesystem::exists(store.object_path({"ledger", "acme"})));
}

TEST_CASE("storage and sql effects outside an object are internal errors", "[store][effects]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  const Clock clock = system_clock_ms;
  const LogSink log = discard_line;
  const LocalEffects context{store, nullptr, clock, log};
  for (const Effect& effect : {Effect{StorageGet{"k"}}, Effect{StoragePut{"k", "v"}}, Effect{StorageDelete{"k"}},
                               Effect{StorageList{}}, Effect{SqlExec{"SELECT 1", {}}}}) {
    const auto outcome = perform_local(context, effect);
    REQUIRE_FALSE(outcome.ok());
    CHECK(outcome.error().code == ErrorCode::internal);
  }
}

TEST_CASE("local effects: now, random and log", "[store][effects]") {
  TempDir dir;
  auto store = open_store(dir / "fd.db");
  const Clock clock = [] { return std::int64_t{42}; };
  std::vector<std::string> lines;
  const LogSink log = [&](std::string_view line) { lines.emplace_back(line); };
  const LocalEffects context{store, nullptr, clock, log};
  CHECK(std::get<std::int64_t>(perform_local(context, Now{}).value()) == 42);
  const auto random = perform_local(context, Random{32});
  REQUIRE(random.ok());
  CHECK(std::get<std::string>(random.value()).size() == 32);
  CHECK_FALSE(perform_local(context, Random{1U << 20}).ok());
  REQUIRE(perform_local(context, Log{R"({"event":"x"})"}).ok());
  CHECK(lines == std::vector<std::string>{R"({"event":"x"})"});
}
