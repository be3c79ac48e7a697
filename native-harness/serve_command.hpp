#pragma once
// `frontdesk serve`: the native server.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "faults.hpp"
#include "server.hpp"

namespace frontdesk::native {

struct ServeOptions {
  std::string config_path;
  std::string db_path;
  ListenAddress listen;
  Faults faults;
  std::optional<std::string> console_dir;  // the built console (build/console), served at /
};

// The arguments after "serve"; an error message when they are not right.
std::variant<ServeOptions, std::string> parse_serve_args(std::span<const std::string_view> args);

inline constexpr std::string_view serve_usage =
    "frontdesk serve --config FILE --db FILE --listen HOST:PORT [--console DIR] "
    "[--fault kv|storage|sql|objects|fetch]...";

// Runs the server until SIGINT or SIGTERM; the process exit status.
int run_serve(const ServeOptions& options);

// The command's entry point for the dispatch table: parse, then run (2 on bad arguments).
int serve_main(std::span<const std::string_view> args);

}  // namespace frontdesk::native
