#pragma once
// The application a host runs: the parsed configuration plus build facts. Immutable after
// creation, so one App serves every request and object of a host.
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app_env.hpp"
#include "config.hpp"
#include "result.hpp"

namespace frontdesk {

struct BuildInfo {
  std::string_view version;
  std::string_view target;  // "native" | "emscripten" | "wasi"
};

BuildInfo build_info();

class App {
 public:
  static Result<App> create(std::string_view config_json, const EnvLookup& env);

  const boost::json::object& config() const { return document_; }
  const Config& settings() const { return settings_; }
  std::string_view version() const { return build_info().version; }
  std::string_view target() const { return build_info().target; }

 private:
  boost::json::object document_;
  Config settings_;
};

}  // namespace frontdesk
