#pragma once
// Local development secrets (.data/dev.env): NAME='value' lines, written with mode 0600 and
// read back by scripts/run.sh (`source`) and by `frontdesk simulate`.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace frontdesk::native {

using EnvValues = std::map<std::string, std::string, std::less<>>;

// An absent file is empty; a malformed line is an error naming it.
Result<EnvValues> read_env_file(const std::filesystem::path& file);
// Whole, replacing the file; readable by its owner only.
Result<void> write_env_file(const std::filesystem::path& file, const EnvValues& values);

}  // namespace frontdesk::native
