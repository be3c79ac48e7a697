#pragma once
// Command-line flags as every frontdesk subcommand takes them: "--name value" or
// "--name=value", only known names.
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace frontdesk::native {

using Flags = std::vector<std::pair<std::string_view, std::string_view>>;

// The flags in order, or a message naming the first unknown or valueless one.
std::variant<Flags, std::string> split_flags(std::span<const std::string_view> args,
                                             std::initializer_list<std::string_view> known);

}  // namespace frontdesk::native
