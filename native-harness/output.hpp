#pragma once
// Where the host's log lines go: stdout natively, a buffer in tests.
#include <functional>
#include <string_view>

namespace frontdesk::native {

using LogSink = std::function<void(std::string_view line)>;

// Writes the line and a newline to stdout and flushes, so a reader sees each line at once.
void write_stdout_line(std::string_view line);

// Drops every line (benchmarks).
inline void discard_line(std::string_view) {}

}  // namespace frontdesk::native
