// The frontdesk command line: a table of subcommands, each with its own arguments.
#include <sodium.h>

#include <array>
#include <iostream>
#include <span>
#include <string_view>
#include <vector>

#include "audit_command.hpp"
#include "backup_command.hpp"
#include "dev_env_command.hpp"
#include "events_command.hpp"
#include "registry_command.hpp"
#include "serve_command.hpp"
#include "simulate_command.hpp"
#include "token_command.hpp"

namespace {

struct Command {
  std::string_view name;
  std::string_view usage;
  int (*run)(std::span<const std::string_view> args);
};

constexpr std::array<Command, 9> commands{{
    {"serve", frontdesk::native::serve_usage, &frontdesk::native::serve_main},
    {"events", frontdesk::native::events_usage, &frontdesk::native::events_main},
    {"registry", frontdesk::native::registry_usage, &frontdesk::native::registry_main},
    {"audit", frontdesk::native::audit_usage, &frontdesk::native::audit_main},
    {"token", frontdesk::native::token_usage, &frontdesk::native::token_main},
    {"simulate", frontdesk::native::simulate_usage, &frontdesk::native::simulate_main},
    {"dev-env", frontdesk::native::dev_env_usage, &frontdesk::native::dev_env_main},
    {"backup", frontdesk::native::backup_usage, &frontdesk::native::backup_main},
    {"restore", frontdesk::native::restore_usage, &frontdesk::native::restore_main},
}};

int usage() {
  std::cerr << "usage:\n";
  for (const auto& command : commands) std::cerr << "  " << command.usage << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::cerr << "frontdesk: libsodium failed to initialize\n";
    return 1;
  }
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  for (const auto& command : commands) {
    if (args[0] != command.name) continue;
    const std::span<const std::string_view> rest(args.begin() + 1, args.end());
    for (const auto arg : rest) {
      if (arg == "--help" || arg == "-h") return usage();
    }
    return command.run(rest);
  }
  return usage();  // --help, -h, or an unknown command
}
