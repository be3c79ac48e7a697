#include "app.hpp"

#include <boost/json/parse.hpp>

#ifndef FRONTDESK_VERSION
#error "FRONTDESK_VERSION must be defined by the build"
#endif
#ifndef FRONTDESK_TARGET
#error "FRONTDESK_TARGET must be defined by the build"
#endif

namespace frontdesk {

BuildInfo build_info() { return {FRONTDESK_VERSION, FRONTDESK_TARGET}; }

Result<App> App::create(std::string_view config_json, const EnvLookup& env) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(config_json.empty() ? std::string_view("{}") : config_json, ec);
  if (ec) return make_error(ErrorCode::invalid_field, "configuration is not valid JSON: " + ec.message());
  auto* object = parsed.if_object();
  if (!object) return make_error(ErrorCode::invalid_field, "configuration must be a JSON object");
  auto settings = parse_config(*object, env);
  if (!settings) return settings.error();
  App app;
  app.document_ = std::move(*object);
  app.settings_ = std::move(*settings);
  return app;
}

}  // namespace frontdesk
