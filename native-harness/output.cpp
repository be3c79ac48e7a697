#include "output.hpp"

#include <cstdio>

namespace frontdesk::native {

void write_stdout_line(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace frontdesk::native
