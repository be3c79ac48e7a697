#include "cli_flags.hpp"

#include <algorithm>

namespace frontdesk::native {

std::variant<Flags, std::string> split_flags(std::span<const std::string_view> args,
                                             std::initializer_list<std::string_view> known) {
  Flags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    std::string_view value;
    bool has_value = false;
    if (const auto eq = flag.find('='); flag.starts_with("--") && eq != std::string_view::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    if (std::find(known.begin(), known.end(), flag) == known.end()) return "unknown argument " + std::string(args[i]);
    if (!has_value) {
      if (i + 1 >= args.size()) return std::string(flag) + " needs a value";
      value = args[++i];
    }
    flags.emplace_back(flag, value);
  }
  return flags;
}

}  // namespace frontdesk::native
