// An object's own database: storage, SQL and the per-call transaction.
#include <catch2/catch.hpp>

#include "object_database.hpp"
#include "support.hpp"

using namespace frontdesk;
using namespace frontdesk::native;
using namespace frontdesk::native::test;

namespace {

std::unique_ptr<ObjectDatabase> open_object(const TempDir& dir) {
  auto db = ObjectDatabase::open(dir / "object.sqlite");
  if (!db) FAIL(db.error().message);
  return std::move(db.value());
}

SqlRows exec_ok(ObjectDatabase& db, std::string sql, std::vector<SqlValue> params = {}) {
  auto rows = db.exec({std::move(sql), std::move(params)});
  if (!rows) FAIL(rows.error().message);
  return std::move(rows.value());
}

}  // namespace

TEST_CASE("object storage: get, put, delete, list", "[objects][storage]") {
  TempDir dir;
  auto db = open_object(dir);
  CHECK(db->get("a").value() == std::nullopt);
  REQUIRE(db->put("b:2", "two").ok());
  REQUIRE(db->put("b:1", "one").ok());
  REQUIRE(db->put("a", "zero").ok());
  REQUIRE(db->put("b:1", "uno").ok());
  CHECK(db->get("b:1").value() == std::optional<std::string>("uno"));
  CHECK(db->list("b:", "", 10).value() == StorageEntries{{"b:1", "uno"}, {"b:2", "two"}});
  CHECK(db->list("b:", "b:1", 10).value() == StorageEntries{{"b:2", "two"}});
  CHECK(db->list("", "", 2).value() == StorageEntries{{"a", "zero"}, {"b:1", "uno"}});
  REQUIRE(db->remove("a").ok());
  CHECK(db->get("a").value() == std::nullopt);
}

TEST_CASE("object sql: every value type round-trips", "[objects][sql]") {
  TempDir dir;
  auto db = open_object(dir);
  const auto created = exec_ok(*db, "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)");
  CHECK(created.columns.empty());
  const std::string bytes("\x00\x01\xfe", 3);
  const auto inserted = exec_ok(*db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                                {std::int64_t{9007199254740991}, 2.5, std::string("text"), SqlBlob{bytes},
                                 std::monostate{}});
  CHECK(inserted.rows.empty());
  const auto rows = exec_ok(*db, "SELECT i, r, s, b, n AS absent FROM t");
  CHECK(rows.columns == std::vector<std::string>{"i", "r", "s", "b", "absent"});
  REQUIRE(rows.rows.size() == 1);
  CHECK(rows.rows[0] == std::vector<SqlValue>{std::int64_t{9007199254740991}, 2.5, std::string("text"),
                                              SqlBlob{bytes}, std::monostate{}});
}

TEST_CASE("object sql: RETURNING reports what the statement changed", "[objects][sql]") {
  TempDir dir;
  auto db = open_object(dir);
  exec_ok(*db, "CREATE TABLE events (id TEXT PRIMARY KEY)");
  const auto insert = "INSERT INTO events VALUES (?) ON CONFLICT (id) DO NOTHING RETURNING id";
  CHECK(exec_ok(*db, insert, {std::string("e1")}).rows.size() == 1);
  // A conflict writes nothing and returns nothing.
  CHECK(exec_ok(*db, insert, {std::string("e1")}).rows.empty());
  exec_ok(*db, "INSERT INTO events VALUES ('e2'), ('e3')");
  CHECK(exec_ok(*db, "DELETE FROM events RETURNING id").rows.size() == 3);
}

TEST_CASE("object sql: failures are storage_unavailable, never a crash", "[objects][sql]") {
  TempDir dir;
  auto db = open_object(dir);
  exec_ok(*db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  const std::vector<std::pair<std::string, std::vector<SqlValue>>> bad{
      {"SELEKT 1", {}},
      {"SELECT * FROM missing", {}},
      {"INSERT INTO t VALUES (1, NULL)", {}},
      {"SELECT ?", {}},                                     // too few parameters
      {"SELECT 1", {std::int64_t{1}}},                      // too many
      {"SELECT 1; SELECT 2", {}},                           // one statement only
      {"BEGIN", {}},                                        // the host owns the transaction
      {"COMMIT", {}},
      {"SAVEPOINT x", {}},
      {"ATTACH DATABASE 'other.sqlite' AS other", {}},
      {"", {}},
  };
  for (const auto& [sql, params] : bad) {
    INFO(sql);
    const auto outcome = db->exec({sql, params});
    REQUIRE_FALSE(outcome.ok());
    CHECK(outcome.error().code == ErrorCode::storage_unavailable);
  }
  // A trailing comment is not a second statement.
  CHECK(exec_ok(*db, "SELECT 1 -- why not").rows.size() == 1);
}

TEST_CASE("object transactions commit or roll back as a whole", "[objects][transactions]") {
  TempDir dir;
  auto db = open_object(dir);
  REQUIRE(db->begin().ok());
  CHECK(db->in_transaction());
  REQUIRE(db->put("k", "committed").ok());
  REQUIRE(db->commit().ok());
  CHECK_FALSE(db->in_transaction());

  REQUIRE(db->begin().ok());
  REQUIRE(db->put("k", "rolled back").ok());
  exec_ok(*db, "CREATE TABLE t (x)");
  db->rollback();
  CHECK(db->get("k").value() == std::optional<std::string>("committed"));
  CHECK_FALSE(db->exec({"SELECT * FROM t", {}}).ok());

  // Committing with no transaction open means the work was lost: an error, not success.
  CHECK(db->commit().error().code == ErrorCode::storage_unavailable);
}
