#pragma once
// The configuration document of SPEC "Configuration", parsed and with every `env:NAME`
// resolved. Secrets live only here, in memory; nothing writes them anywhere.
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app_env.hpp"
#include "result.hpp"

namespace frontdesk {

enum class SourceKind { openphone, standard, telnyx, twilio, github, stripe };

std::string_view source_kind_name(SourceKind kind);

struct SourceConfig {
  std::string name;
  SourceKind kind = SourceKind::standard;
  std::vector<std::string> secrets;      // as configured: key bytes are derived per kind
  std::vector<std::string> public_keys;  // base64 text as configured
  std::int64_t tolerance_s = 300;
  std::size_t max_body_bytes = 262144;
  std::string public_url;  // twilio: the URL the provider was given
  // Set when an `env:NAME` reference could not be resolved: deliveries to this source
  // are then refused with 500 rather than verified against nothing.
  std::string problem;
};

struct TenantConfig {
  std::string name;
  std::vector<std::string> numbers;  // E.164
  boost::json::object raw;           // registry, allow, block, policy: read by later stages
};

struct Config {
  std::map<std::string, SourceConfig, std::less<>> sources;
  std::map<std::string, TenantConfig, std::less<>> tenants;
  boost::json::object providers;
  // Enables POST /diagnostics/verify, through which the conformance corpus runs the
  // published crypto vectors on every target. Off unless the document says true.
  bool diagnostics = false;
};

Result<Config> parse_config(const boost::json::object& document, const EnvLookup& env);

}  // namespace frontdesk
