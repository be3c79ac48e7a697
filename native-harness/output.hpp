#pragma once
// Where the host's log lines go: stdout natively, a buffer in tests.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string_view>

namespace frontdesk::native {

using LogSink = std::function<void(std::string_view line)>;

// Writes the line and a newline to stdout and flushes, so a reader sees each line at once.
void write_stdout_line(std::string_view line);

// Drops every line (benchmarks).
inline void discard_line(std::string_view) {}

// The server's log: whole lines to `file` (stdout), each flushed at once, and when the file is
// a regular one (a log kept on the database's disk), what was written is handed to the disk every
// `writeback_bytes` instead of piling up dirty in the page cache. Left to the kernel, seconds
// of log are written at once, and on ext4's ordered journal the database's next fsync waits
// for all of them: under load that made WAL syncs of 60–83 ms and answers over 100 ms.
class FileLog {
 public:
  static constexpr std::uint64_t writeback_bytes = 256 * 1024;

  explicit FileLog(std::FILE* file);
  void write(std::string_view line);
  // A sink writing here; the log must outlive it.
  LogSink sink() {
    return [this](std::string_view line) { write(line); };
  }

 private:
  std::FILE* const file_;
  const bool regular_file_;
  // Bytes written since the disk was last asked to take them; guarded by the file's lock.
  std::uint64_t unflushed_ = 0;
};

}  // namespace frontdesk::native
