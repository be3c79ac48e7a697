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
#include "reception/policy.hpp"
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
  // The provider API that acts on this source's calls and texts (providers.<name>):
  // "provider" when configured, else telnyx for telnyx, openphone for openphone and
  // standard (Quo), none for the rest (Twilio is answered with TwiML).
  std::string provider;
  // The tenant of this source's events whose numbers name no tenant (OpenPhone's and Quo's
  // transcripts and summaries carry only the call's id): "" for the default ledger.
  std::string tenant;
  // Set when an `env:NAME` reference could not be resolved: deliveries to this source
  // are then refused with 500 rather than verified against nothing.
  std::string problem;
};

struct TenantConfig {
  std::string name;
  std::vector<std::string> numbers;  // E.164
  boost::json::object raw;           // as configured
  reception::TenantPolicy policy;    // registry, allow, block and policy, parsed
};

// A provider API Frontdesk calls (providers.<name>): its key is resolved like a secret and
// never stored anywhere but here.
struct ProviderConfig {
  std::string name;
  std::string api_key;
  std::string base_url;  // without a trailing slash
  std::string voice = "female";   // telnyx speak
  std::string language = "en-US";  // telnyx speak
  std::string connection_id;       // telnyx: the Call Control connection outbound calls use
  std::string account_sid;         // twilio: the account its API paths name (api_key is its auth token)
  std::string problem;  // an unresolved env: reference: nothing is sent through it
};

// Retries of the outbound queue: attempt n (1-based) that fails is tried again after
// min(base_delay_ms * 2^(n-1), max_delay_ms); after max_attempts it is a dead letter.
struct OutboundSettings {
  std::int64_t max_attempts = 5;
  std::int64_t base_delay_ms = 2000;
  std::int64_t max_delay_ms = 600000;
  bool operator==(const OutboundSettings&) const = default;
};

// Fan-out to the tenant's own endpoints (`fanout` in the configuration, docs/fanout.md).
struct FanoutSettings {
  bool allow_http = false;     // http:// endpoint URLs (local runs, tests)
  bool allow_private = false;  // loopback, private, link-local and metadata hosts
  // Seconds before each attempt: the first at once, then Svix's schedule; dead after the last.
  std::vector<std::int64_t> schedule_s{0, 5, 300, 1800, 7200, 18000, 36000, 36000};
  std::int64_t disable_after_s = 5LL * 24 * 3600;  // an endpoint failing this long is disabled
  std::int64_t retention_days = 30;
};

// The API's settings (`api` in the configuration) and the bootstrap secret
// (FRONTDESK_BOOTSTRAP_TOKEN), kept only as its SHA-256 so the plaintext stays in the env.
struct ApiSettings {
  std::int64_t rate_limit = 600;     // requests per minute per token, unless the token says
  std::string bootstrap_sha256_hex;  // empty: no bootstrap secret
};

// `metrics` in the configuration: the bearer token natively guarding GET /metrics (kept as
// its SHA-256). Without one, only clients on a loopback address may read it.
struct MetricsSettings {
  std::string token_sha256_hex;
  std::string problem;  // an unresolved env: reference: /metrics refuses everyone
};

// `retention` in the configuration: how long the ledger keeps what it may let go. Calls,
// texts, events themselves and the audit chain are kept; an event's raw payload is emptied
// after payload_days, dead outbound commands go after dead_letter_days, delivered ones and
// fan-out's delivery log (with fanout.retention_days) after delivery_log_days.
struct RetentionSettings {
  std::int64_t payload_days = 30;
  std::int64_t dead_letter_days = 30;
  std::int64_t delivery_log_days = 30;
};

// `server` in the configuration: the native server's limits (the edge has its platform's).
struct ServerSettings {
  std::int64_t max_connections = 0;  // 0: sized from the open-files limit at start
  std::int64_t request_timeout_s = 10;  // to send a request once connected or once begun
  std::int64_t idle_timeout_s = 60;     // a kept-alive connection between requests
};

struct Config {
  std::map<std::string, SourceConfig, std::less<>> sources;
  std::map<std::string, TenantConfig, std::less<>> tenants;
  std::map<std::string, ProviderConfig, std::less<>> providers;
  OutboundSettings outbound;
  FanoutSettings fanout;
  ApiSettings api;
  MetricsSettings metrics;
  ServerSettings server;
  RetentionSettings retention;
  // Enables POST /diagnostics/verify, through which the conformance corpus runs the
  // published crypto vectors on every target. Off unless the document says true.
  bool diagnostics = false;
};

// The tenant's settings, or those of a tenant the configuration does not name (no numbers,
// the default policy): what every stage uses for, e.g., the `default` tenant.
const TenantConfig& tenant_settings(const Config& config, std::string_view name);

Result<Config> parse_config(const boost::json::object& document, const EnvLookup& env);

}  // namespace frontdesk
