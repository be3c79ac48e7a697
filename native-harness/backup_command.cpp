#include "backup_command.hpp"

#include <sqlite3.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "admin_client.hpp"
#include "cli_flags.hpp"
#include "request_log.hpp"

namespace frontdesk::native {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct CloseDatabase {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, CloseDatabase>;

// Copies one database with the backup API: all of it in one step, so in one read
// transaction of the source: a snapshot, whatever a server writes meanwhile. "" or why not.
std::string copy_database(const fs::path& from, const fs::path& to) {
  sqlite3* raw_source = nullptr;
  Handle source(nullptr);
  if (sqlite3_open_v2(from.c_str(), &raw_source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    source.reset(raw_source);
    return "cannot open " + from.string() + ": " + sqlite3_errmsg(raw_source);
  }
  source.reset(raw_source);
  sqlite3_busy_timeout(source.get(), 10000);
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  sqlite3* raw_target = nullptr;
  if (sqlite3_open_v2(to.c_str(), &raw_target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const Handle failed(raw_target);
    return "cannot create " + to.string() + ": " + sqlite3_errmsg(raw_target);
  }
  const Handle target(raw_target);
  sqlite3_busy_timeout(target.get(), 10000);
  sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
  if (!backup) return "cannot copy " + from.string() + ": " + sqlite3_errmsg(target.get());
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 50; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(100);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return "cannot copy " + from.string() + ": " + sqlite3_errstr(rc);
  // The copy is a database of its own, durable on its own.
  if (sqlite3_exec(target.get(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return "cannot finish " + to.string() + ": " + sqlite3_errmsg(target.get());
  }
  return "";
}

fs::path objects_dir(const fs::path& db) {
  auto dir = db;
  dir += ".objects";
  return dir;
}

// The databases under a database's path: itself, then its objects' (relative paths).
std::vector<fs::path> databases_of(const fs::path& db) {
  std::vector<fs::path> found{db.filename()};
  std::error_code ec;
  const auto dir = objects_dir(db);
  if (!fs::is_directory(dir, ec)) return found;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".sqlite") {
      found.push_back(objects_dir(db.filename()) / fs::relative(it->path(), dir, ec));
    }
  }
  return found;
}

}  // namespace

int run_backup(const fs::path& db, const fs::path& out, std::ostream& report, std::ostream& err) {
  std::error_code ec;
  if (!fs::is_regular_file(db, ec)) {
    err << "frontdesk backup: no database at " << db.string() << "\n";
    return 1;
  }
  if (fs::exists(out / "backup.json", ec) || fs::exists(out / db.filename(), ec)) {
    err << "frontdesk backup: " << out.string() << " already holds a backup\n";
    return 1;
  }
  json::array files;
  for (const auto& relative : databases_of(db)) {
    const auto from = db.parent_path() / relative;
    if (auto failed = copy_database(from, out / relative); !failed.empty()) {
      err << "frontdesk backup: " << failed << "\n";
      return 1;
    }
    files.emplace_back(relative.generic_string());
  }
  const auto manifest = json::serialize(json::object{{"database", db.filename().string()},
                                                     {"taken_at", iso8601_utc(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                                  std::chrono::system_clock::now().time_since_epoch())
                                                                                  .count())},
                                                     {"files", files}});
  {
    std::ofstream written(out / "backup.json", std::ios::binary);
    written << manifest << "\n";
    if (!written) {
      err << "frontdesk backup: cannot write " << (out / "backup.json").string() << "\n";
      return 1;
    }
  }
  report << manifest << "\n";
  return 0;
}

int run_restore(const fs::path& from, const fs::path& db, std::ostream& report, std::ostream& err) {
  std::error_code ec;
  std::ifstream manifest_file(from / "backup.json", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(manifest_file)), std::istreambuf_iterator<char>());
  json::error_code parse_ec;
  const auto manifest = json::parse(text, parse_ec);
  const auto* object = parse_ec ? nullptr : manifest.if_object();
  const auto* name = object ? object->if_contains("database") : nullptr;
  const auto* files = object ? object->if_contains("files") : nullptr;
  if (!name || !name->is_string() || !files || !files->is_array()) {
    err << "frontdesk restore: " << from.string() << " holds no backup (backup.json)\n";
    return 1;
  }
  if (AdminClient::connect(db)) {
    err << "frontdesk restore: a server serves " << db.string() << "; stop it first\n";
    return 1;
  }
  if (fs::exists(db, ec) || fs::exists(objects_dir(db), ec)) {
    err << "frontdesk restore: " << db.string() << " exists; restore into a new path (or move it away)\n";
    return 1;
  }
  const fs::path backed_up(std::string(name->get_string()));
  for (const auto& file : files->get_array()) {
    if (!file.is_string()) continue;
    fs::path relative(std::string(file.get_string()));
    // The main database takes FILE's name, its objects FILE's .objects directory.
    fs::path target = relative == backed_up ? db
                                            : objects_dir(db) / fs::relative(relative, objects_dir(backed_up), ec);
    if (auto failed = copy_database(from / relative, target); !failed.empty()) {
      err << "frontdesk restore: " << failed << "\n";
      return 1;
    }
  }
  report << json::serialize(json::object{{"restored", db.string()}, {"files", files->get_array().size()}}) << "\n";
  return 0;
}

int backup_main(std::span<const std::string_view> args) {
  auto flags = split_flags(args, {"--db", "--out"});
  if (const auto* error = std::get_if<std::string>(&flags)) {
    std::cerr << "frontdesk backup: " << *error << "\nusage: " << backup_usage << "\n";
    return 2;
  }
  std::string db, out;
  for (const auto& [flag, value] : std::get<Flags>(flags)) (flag == "--db" ? db : out) = std::string(value);
  if (db.empty() || out.empty()) {
    std::cerr << "frontdesk backup: --db and --out are required\nusage: " << backup_usage << "\n";
    return 2;
  }
  return run_backup(db, out, std::cout, std::cerr);
}

int restore_main(std::span<const std::string_view> args) {
  auto flags = split_flags(args, {"--from", "--db"});
  if (const auto* error = std::get_if<std::string>(&flags)) {
    std::cerr << "frontdesk restore: " << *error << "\nusage: " << restore_usage << "\n";
    return 2;
  }
  std::string from, db;
  for (const auto& [flag, value] : std::get<Flags>(flags)) (flag == "--from" ? from : db) = std::string(value);
  if (from.empty() || db.empty()) {
    std::cerr << "frontdesk restore: --from and --db are required\nusage: " << restore_usage << "\n";
    return 2;
  }
  return run_restore(from, db, std::cout, std::cerr);
}

}  // namespace frontdesk::native
