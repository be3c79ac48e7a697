#pragma once
// The application a host runs: the parsed configuration plus build facts. Immutable after
// creation, so one App serves every request and object of a host.
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "result.hpp"

namespace frontdesk {

// Looks up an environment variable natively or a Worker secret/var at the edge.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

struct BuildInfo {
  std::string_view version;
  std::string_view target;  // "native" | "emscripten" | "wasi"
};

BuildInfo build_info();

class App {
 public:
  static Result<App> create(std::string_view config_json, const EnvLookup& env);

  const boost::json::object& config() const { return config_; }
  std::string_view version() const { return build_info().version; }
  std::string_view target() const { return build_info().target; }

 private:
  boost::json::object config_;
};

}  // namespace frontdesk
