// The server's log file: whole lines from several threads, none lost or torn, past the point
// where it hands what was written to the disk (FileLog::writeback_bytes).
#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "output.hpp"

using frontdesk::native::FileLog;

namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

std::vector<std::string> lines_of(std::FILE* file) {
  std::rewind(file);
  std::vector<std::string> lines;
  std::string line;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line.push_back(static_cast<char>(c));
    }
  }
  if (!line.empty()) lines.push_back(line);  // a torn last line shows as one more
  return lines;
}

}  // namespace

TEST_CASE("FileLog: lines from several threads arrive whole, past many writebacks") {
  const std::unique_ptr<std::FILE, FileCloser> file(std::tmpfile());
  REQUIRE(file);
  FileLog log(file.get());
  const auto sink = log.sink();
  constexpr int threads = 4;
  constexpr int lines_each = 2000;
  const std::string padding(200, 'x');  // 4 × 2000 lines of ~215 bytes: ~1.7 MB, 6 writebacks
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < lines_each; ++i) sink("t" + std::to_string(t) + " " + std::to_string(i) + " " + padding);
    });
  }
  for (auto& writer : writers) writer.join();

  const auto lines = lines_of(file.get());
  REQUIRE(lines.size() == threads * lines_each);
  std::set<std::string> seen;
  for (const auto& line : lines) {
    REQUIRE(line.ends_with(" " + padding));
    seen.insert(line.substr(0, line.size() - padding.size() - 1));
  }
  CHECK(seen.size() == threads * lines_each);
  CHECK(seen.count("t3 1999") == 1);
}
