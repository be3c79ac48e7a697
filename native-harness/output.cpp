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

// Called with the file locked (flockfile): the connections' thread and the io thread both
// log, and each line goes out whole.
void write_locked(std::FILE* file, std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), file);
  std::fputc('\n', file);
  std::fflush(file);
}

}  // namespace

void write_stdout_line(std::string_view line) {
  flockfile(stdout);
  write_locked(stdout, line);
  funlockfile(stdout);
}

FileLog::FileLog(std::FILE* file) : file_(file), regular_file_(is_regular_file(file)) {}

void FileLog::write(std::string_view line) {
  flockfile(file_);  // also guards unflushed_
  write_locked(file_, line);
  unflushed_ += line.size() + 1;
  if (regular_file_ && unflushed_ >= writeback_bytes) {
    unflushed_ = 0;
#ifdef __linux__
    // Starts the write-out of the file's dirty pages and returns: no wait, no disk flush. A
    // failure only means the kernel writes them later, as before.
    (void)sync_file_range(fileno(file_), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
  }
  funlockfile(file_);
}

}  // namespace frontdesk::native
