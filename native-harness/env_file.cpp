#include "env_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace frontdesk::native {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (const char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Values are written single-quoted; none of the generated ones holds a quote.
bool quotable(std::string_view value) { return value.find('\'') == std::string_view::npos && value.find('\n') == std::string_view::npos; }

}  // namespace

Result<EnvValues> read_env_file(const std::filesystem::path& file) {
  EnvValues values;
  std::ifstream in(file);
  if (!in) return values;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const auto equals = line.find('=');
    const auto name = line.substr(0, equals);
    if (equals == std::string::npos || !valid_name(name)) {
      return Error{ErrorCode::invalid_field, file.string() + ":" + std::to_string(number) + ": not NAME=value"};
    }
    auto value = line.substr(equals + 1);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') value = value.substr(1, value.size() - 2);
    values[name] = std::move(value);
  }
  return values;
}

Result<void> write_env_file(const std::filesystem::path& file, const EnvValues& values) {
  std::string text = "# Local development secrets made by `frontdesk dev-env`: never commit, never deploy.\n";
  for (const auto& [name, value] : values) {
    if (!valid_name(name) || !quotable(value)) return Error{ErrorCode::invalid_field, "cannot write " + name};
    text.append(name).append("='").append(value).append("'\n");
  }
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
  }
  const auto temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error{ErrorCode::internal, "cannot write " + temporary};
  const auto written = ::write(fd, text.data(), text.size());
  const bool ok = written == static_cast<ssize_t>(text.size()) && ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), file.c_str()) != 0) return Error{ErrorCode::internal, "cannot write " + file.string()};
  return {};
}

}  // namespace frontdesk::native
