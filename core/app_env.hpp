#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace frontdesk {

// Looks up an environment variable natively or a Worker secret/var at the edge.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

}  // namespace frontdesk
