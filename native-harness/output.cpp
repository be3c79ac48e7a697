#include "output.hpp"

#include <cstdio>

namespace frontdesk::native {

void write_stdout_line(std::string_view line) {
  // Whole lines: the connections' thread and the io thread both log.
  flockfile(stdout);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
  funlockfile(stdout);
}

}  // namespace frontdesk::native
