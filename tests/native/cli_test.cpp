// The frontdesk command line: argument parsing, and the real binary run as a process.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "serve_command.hpp"
#include "support.hpp"

extern char** environ;

using namespace frontdesk::native;
using namespace frontdesk::native::test;

namespace {

std::variant<ServeOptions, std::string> parse(std::vector<std::string_view> args) { return parse_serve_args(args); }

std::string parse_error(std::vector<std::string_view> args) {
  const auto parsed = parse(std::move(args));
  const auto* error = std::get_if<std::string>(&parsed);
  return error ? *error : std::string{};
}

// The binary run as a child process, its stdout on a pipe.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    args.insert(args.begin(), FRONTDESK_BINARY);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, FRONTDESK_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_ = fds[0];
    REQUIRE(rc == 0);
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // The next line of stdout, or "" at its end.
  std::string read_line() {
    while (true) {
      if (const auto newline = buffer_.find('\n'); newline != std::string::npos) {
        auto line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return line;
      }
      char chunk[4096];
      const auto got = ::read(out_, chunk, sizeof chunk);
      if (got <= 0) return std::exchange(buffer_, {});
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }

  void signal(int number) { ::kill(pid_, number); }

  // The exit status, or -1 when it did not exit normally.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("serve arguments", "[cli]") {
  const auto parsed = parse({"--config", "c.json", "--db", "fd.db", "--listen", "127.0.0.1:0", "--fault", "kv",
                             "--fault=sql"});
  REQUIRE(std::holds_alternative<ServeOptions>(parsed));
  const auto& options = std::get<ServeOptions>(parsed);
  CHECK(options.config_path == "c.json");
  CHECK(options.db_path == "fd.db");
  CHECK(options.listen.host == "127.0.0.1");
  CHECK(options.listen.port == "0");
  CHECK(options.faults.has(FaultClass::kv));
  CHECK(options.faults.has(FaultClass::sql));
  CHECK_FALSE(options.faults.has(FaultClass::storage));

  CHECK(parse_error({"--db", "x", "--listen", "h:1"}) == "--config is required");
  CHECK(parse_error({"--config", "c", "--listen", "h:1"}) == "--db is required");
  CHECK(parse_error({"--config", "c", "--db", "x"}) == "--listen is required");
  CHECK(parse_error({"--config", "c", "--db", "x", "--listen", "nope"}).starts_with("--listen takes"));
  CHECK(parse_error({"--config", "c", "--db", "x", "--listen", "h:1", "--fault", "disk"}) ==
        "unknown fault class disk");
  CHECK(parse_error({"--config", "c", "--db", "x", "--listen", "h:1", "--verbose"}) == "unknown argument --verbose");
  CHECK(parse_error({"--config"}) == "--config needs a value");
}

TEST_CASE("usage errors exit with status 2", "[cli][process]") {
  TempDir dir;
  write_file(dir / "bad.json", "{not json");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"--help"},
           {"frobnicate"},
           {"serve", "--help"},
           {"serve", "--config"},
           {"serve", "--config", (dir / "missing.json").string(), "--db", (dir / "fd.db").string(), "--listen",
            "127.0.0.1:0"},
           {"serve", "--config", (dir / "bad.json").string(), "--db", (dir / "fd.db").string(), "--listen",
            "127.0.0.1:0"},
       }) {
    Child child(args);
    CHECK(child.wait() == 2);
    CHECK(child.read_line().empty());  // nothing on stdout: usage goes to stderr
  }
}

TEST_CASE("frontdesk serve: listens, logs each request, exits 0 on SIGTERM", "[cli][process]") {
  TempDir dir;
  write_file(dir / "config.json", "{}");
  Child child({"serve", "--config", (dir / "config.json").string(), "--db", (dir / "fd.db").string(), "--listen",
               "127.0.0.1:0"});
  const auto banner = child.read_line();
  REQUIRE(banner.starts_with("Frontdesk listening on http://127.0.0.1:"));
  const auto port = static_cast<std::uint16_t>(std::stoi(banner.substr(banner.rfind(':') + 1)));
  CHECK(port != 0);

  const auto deep = http_exchange(port, "GET", "/health?deep=1&token=secret");
  CHECK(deep.status == 200);
  CHECK(deep.body.find(R"("checks":{"kv":{"ok":true},"objects":{"ok":true},"sql":{"ok":true}})") !=
        std::string::npos);
  const auto log = child.read_line();
  CHECK(log.find(R"("method":"GET","path":"/health","status":200)") != std::string::npos);
  CHECK(log.find("secret") == std::string::npos);

  child.signal(SIGTERM);
  CHECK(child.wait() == 0);
  CHECK(std::filesystem::exists(dir / "fd.db"));
  CHECK(std::filesystem::exists(dir / "fd.db.objects/health/probe.sqlite"));
}

TEST_CASE("frontdesk serve --fault storage degrades health, SIGINT stops it", "[cli][process]") {
  TempDir dir;
  write_file(dir / "config.json", "{}");
  Child child({"serve", "--config", (dir / "config.json").string(), "--db", (dir / "fd.db").string(), "--listen",
               "127.0.0.1:0", "--fault", "storage"});
  const auto banner = child.read_line();
  REQUIRE(banner.starts_with("Frontdesk listening on http://127.0.0.1:"));
  const auto port = static_cast<std::uint16_t>(std::stoi(banner.substr(banner.rfind(':') + 1)));
  const auto deep = http_exchange(port, "GET", "/health?deep=1");
  CHECK(deep.status == 503);
  CHECK(deep.body.find(R"("objects":{"ok":false,"error":"storage_unavailable"})") != std::string::npos);
  child.signal(SIGINT);
  CHECK(child.wait() == 0);
}
