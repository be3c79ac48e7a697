#include "serve_command.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <sqlite3.h>
#include <algorithm>
#include <csignal>
#include <sys/resource.h>
#include <filesystem>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "admin_socket.hpp"
#include "cli_flags.hpp"
#include "core/app.hpp"
#include "files.hpp"
#include "group_commit.hpp"
#include "host.hpp"
#include "server.hpp"
#include "output.hpp"
#include "retention_timer.hpp"
#include "sqlite_store.hpp"

namespace frontdesk::native {
namespace {

std::optional<std::string> process_env(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

// The open-files limit raised as far as the system lets a process (its hard limit); the
// object databases kept open and the connections fit in it.
ServerLimits server_limits(const ServerSettings& settings, Store& store) {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &files) != 0) getrlimit(RLIMIT_NOFILE, &files);
  }
  const std::size_t open_files = files.rlim_cur == RLIM_INFINITY || files.rlim_cur > 1'000'000
                                     ? 1'000'000
                                     : static_cast<std::size_t>(files.rlim_cur);
  store.limit_open_objects(std::clamp<std::size_t>(open_files / 8, 16, 256));
  ServerLimits limits;
  limits.max_connections = settings.max_connections > 0
                               ? static_cast<std::size_t>(settings.max_connections)
                               : default_max_connections(open_files, store.open_objects_limit());
  limits.timeouts.request = std::chrono::seconds(settings.request_timeout_s);
  limits.timeouts.idle = std::chrono::seconds(settings.idle_timeout_s);
  return limits;
}

std::string url_host(const std::string& host) { return host.find(':') == std::string::npos ? host : "[" + host + "]"; }

}  // namespace

std::variant<ServeOptions, std::string> parse_serve_args(std::span<const std::string_view> args) {
  ServeOptions options;
  bool has_config = false;
  bool has_db = false;
  bool has_listen = false;
  auto flags = split_flags(args, {"--config", "--db", "--listen", "--console", "--fault"});
  if (const auto* error = std::get_if<std::string>(&flags)) return *error;
  for (const auto& [flag, value] : std::get<Flags>(flags)) {
    if (flag == "--config") {
      options.config_path = std::string(value);
      has_config = true;
    } else if (flag == "--db") {
      options.db_path = std::string(value);
      has_db = true;
    } else if (flag == "--console") {
      options.console_dir = std::string(value);
    } else if (flag == "--listen") {
      const auto address = parse_listen_address(value);
      if (!address) return "--listen takes HOST:PORT, not " + std::string(value);
      options.listen = *address;
      has_listen = true;
    } else {
      if (!add_fault(options.faults, value)) return "unknown fault class " + std::string(value);
    }
  }
  if (!has_config || options.config_path.empty()) return std::string("--config is required");
  if (!has_db || options.db_path.empty()) return std::string("--db is required");
  if (!has_listen) return std::string("--listen is required");
  return options;
}

// The ledgers' page caches (16 MiB each, sqlite.cpp) together: past this, SQLite reuses the
// least recently used pages rather than allocate more, however many ledgers are open.
constexpr sqlite3_int64 sqlite_memory_limit = 256LL << 20;

int run_serve(const ServeOptions& options) {
  sqlite3_soft_heap_limit64(sqlite_memory_limit);
  const auto config = read_whole_file(options.config_path);
  if (!config) {
    std::cerr << "frontdesk: cannot read the configuration " << options.config_path << "\n";
    return 2;
  }
  const auto app = App::create(*config, process_env);
  if (!app) {
    std::cerr << "frontdesk: configuration " << options.config_path << ": " << app.error().message << "\n";
    return 2;
  }

  // What would fail every request later is said now, one line each.
  for (const auto& [name, source] : app->settings().sources) {
    if (!source.problem.empty()) std::cerr << "frontdesk: source " << name << ": " << source.problem << "\n";
  }
  for (const auto& [name, provider] : app->settings().providers) {
    if (!provider.problem.empty()) std::cerr << "frontdesk: provider " << name << ": " << provider.problem << "\n";
  }
  if (!app->settings().metrics.problem.empty()) {
    std::cerr << "frontdesk: metrics.token: " << app->settings().metrics.problem << "\n";
  }
  SiteOptions site;
  if (options.console_dir) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(std::filesystem::path(*options.console_dir) / "index.html", ec)) {
      std::cerr << "frontdesk: --console " << *options.console_dir
                << " holds no index.html (build it with scripts/build-console.sh)\n";
      return 2;
    }
    site.console_dir = *options.console_dir;
  }

  boost::asio::io_context io{1};
  // Commits are synced in groups on a thread of their own; answers wait for their sync.
  GroupCommit group(io);
  auto store = Store::open(options.db_path, system_clock_ms, &group);
  if (!store) {
    std::cerr << "frontdesk: database " << options.db_path << ": " << store.error().message << "\n";
    return 1;
  }
  FileLog log(stdout);
  HostOptions host_options;
  host_options.faults = options.faults;
  host_options.log = log.sink();
  // The requests' own work (signature checks above all) on every core; objects and
  // storage stay on the io thread.
  host_options.compute_threads = std::max(1u, std::thread::hardware_concurrency());
  Host host(io, *app, *store, std::move(host_options));
  if (auto restored = host.restore_alarms(); !restored) {
    std::cerr << "frontdesk: cannot restore alarms: " << restored.error().message << "\n";
    return 1;
  }
  const auto limits = server_limits(app->settings().server, *store);
  Server server(host, log.sink(), system_clock_ms, std::move(site), limits);
  if (auto listening = server.listen(options.listen); !listening) {
    std::cerr << "frontdesk: " << listening.error().message << "\n";
    return 1;
  }

  // The command line's writes and reads go through this server while it serves the database.
  AdminSocket admin(io, host, *store, log.sink());
  if (const auto admin_path = admin_socket_path(options.db_path)) {
    if (auto opened = admin.listen(*admin_path); !opened) {
      std::cerr << "frontdesk: " << opened.error().message << "\n";
      if (opened.error().code == ErrorCode::conflict) return 1;
    }
  } else {
    std::cerr << "frontdesk: the database path is too long for its admin socket; commands will open the files\n";
  }

  RetentionTimer retention(io, host, *store);
  retention.start();

  // The first SIGINT/SIGTERM stops accepting and lets what is in flight finish; the
  // default handlers come back, so a second one ends the process at once.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    boost::system::error_code ignored;
    signals.clear(ignored);
    server.stop();
    admin.stop();
    retention.stop();
    host.stop();
  });

  log.write("Frontdesk listening on http://" + url_host(options.listen.host) + ":" +
            std::to_string(server.local_endpoint().port()));
  io.run();
  return 0;  // host, store (closing the databases) and the rest go out of scope here
}

int serve_main(std::span<const std::string_view> args) {
  auto parsed = parse_serve_args(args);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    std::cerr << "frontdesk serve: " << *error << "\nusage: " << serve_usage << "\n";
    return 2;
  }
  return run_serve(std::get<ServeOptions>(parsed));
}

}  // namespace frontdesk::native
