#include "output.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>

namespace frontdesk::native {
namespace {

bool is_regular_file(std::FILE* file) {
  struct stat status {};
  return fstat(fileno(file), &status) == 0 && S_ISREG(status.st_mode);
}

void write_line(std::FILE* file, std::string_view line) {
  // Whole lines: the connections' thread and the io thread both log.
  flockfile(file);
  std::fwrite(line.data(), 1, line.size(), file);
  std::fputc('\n', file);
  std::fflush(file);
  funlockfile(file);
}

}  // namespace

void write_stdout_line(std::string_view line) { write_line(stdout, line); }

FileLog::FileLog(std::FILE* file) : file_(file), regular_file_(is_regular_file(file)) {}

void FileLog::write(std::string_view line) {
  write_line(file_, line);
  if (!regular_file_) return;
  const std::lock_guard lock(mutex_);
  unflushed_ += line.size() + 1;
  if (unflushed_ < writeback_bytes) return;
  unflushed_ = 0;
#ifdef __linux__
  // Starts the write-out of the file's dirty pages and returns: no wait, no disk flush. A
  // failure only means the kernel writes them later, as before.
  (void)sync_file_range(fileno(file_), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

}  // namespace frontdesk::native
