#pragma once
// `frontdesk backup` and `frontdesk restore`: a consistent copy of the database and every
// object database beside it, taken online (SQLite's backup API reads each one in a single
// read transaction, so a running server goes on writing), and brought back into place.
#include <filesystem>
#include <ostream>
#include <span>
#include <string_view>

namespace frontdesk::native {

inline constexpr std::string_view backup_usage = "frontdesk backup --db FILE --out DIR";
inline constexpr std::string_view restore_usage = "frontdesk restore --from DIR --db FILE";

// DIR gets FILE's name and its .objects directory, as under FILE, and backup.json listing
// every database copied. 0, or 1 (nothing to copy, DIR already holds a backup, a copy failed).
int run_backup(const std::filesystem::path& db, const std::filesystem::path& out, std::ostream& report,
               std::ostream& err);
// Into FILE, which must not exist yet and must not be served. 0, or 1.
int run_restore(const std::filesystem::path& from, const std::filesystem::path& db, std::ostream& report,
                std::ostream& err);

int backup_main(std::span<const std::string_view> args);
int restore_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
