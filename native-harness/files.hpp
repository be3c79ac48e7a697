#pragma once
// Reading a whole file (configurations, the console's files): the one way the commands do it.
#include <filesystem>
#include <optional>
#include <string>

namespace frontdesk::native {

// Its bytes, or nullopt when it cannot be opened or read.
std::optional<std::string> read_whole_file(const std::filesystem::path& file);

}  // namespace frontdesk::native
