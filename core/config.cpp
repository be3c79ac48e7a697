#include "config.hpp"

#include <array>
#include <boost/json.hpp>

#include "crypto/primitives.hpp"
#include "encoding.hpp"
#include "phone.hpp"

namespace frontdesk {
namespace json = boost::json;
namespace {

constexpr std::array<std::pair<std::string_view, SourceKind>, 6> kind_names{{
    {"openphone", SourceKind::openphone},
    {"standard", SourceKind::standard},
    {"telnyx", SourceKind::telnyx},
    {"twilio", SourceKind::twilio},
    {"github", SourceKind::github},
    {"stripe", SourceKind::stripe},
}};

Error invalid(const std::string& where, std::string_view what) {
  return make_error(ErrorCode::invalid_field, where + ": " + std::string(what));
}

// A configured secret: "env:NAME" resolves through the environment, anything else is
// taken as written (tests and local runs).
Result<std::string> resolve(const json::value& value, const std::string& where, const EnvLookup& env,
                            std::string& problem) {
  const auto* text = value.if_string();
  if (!text) return invalid(where, "must be a string");
  const std::string_view view(*text);
  if (view.substr(0, 4) != "env:") return std::string(view);
  const auto name = view.substr(4);
  auto resolved = env ? env(name) : std::nullopt;
  if (!resolved || resolved->empty()) {
    if (problem.empty()) problem = "environment variable " + std::string(name) + " is not set";
    return std::string{};
  }
  return std::move(*resolved);
}

Result<std::vector<std::string>> resolve_list(const json::object& source, std::string_view field,
                                              const std::string& where, const EnvLookup& env, std::string& problem) {
  std::vector<std::string> out;
  const auto* value = source.if_contains(field);
  if (!value) return out;
  const auto* list = value->if_array();
  if (!list) return invalid(where + "." + std::string(field), "must be a list");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto item = resolve((*list)[i], where + "." + std::string(field) + "[" + std::to_string(i) + "]", env, problem);
    if (!item) return item.error();
    if (!item->empty()) out.push_back(std::move(*item));
  }
  return out;
}

Result<std::int64_t> positive_integer(const json::object& object, std::string_view field, const std::string& where,
                                      std::int64_t fallback) {
  const auto* value = object.if_contains(field);
  if (!value) return fallback;
  if (value->is_int64() && value->get_int64() > 0) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() > 0 && value->get_uint64() < (1ULL << 53)) {
    return static_cast<std::int64_t>(value->get_uint64());
  }
  return invalid(where + "." + std::string(field), "must be a positive integer");
}

Result<SourceConfig> parse_source(const std::string& name, const json::value& value, const EnvLookup& env) {
  const std::string where = "sources." + name;
  const auto* object = value.if_object();
  if (!object) return invalid(where, "must be an object");
  SourceConfig source;
  source.name = name;
  const auto* kind = object->if_contains("kind");
  const auto* kind_text = kind ? kind->if_string() : nullptr;
  if (!kind_text) return invalid(where + ".kind", "is required");
  bool known = false;
  for (const auto& [kind_name, kind_value] : kind_names) {
    if (kind_name == *kind_text) {
      source.kind = kind_value;
      known = true;
    }
  }
  if (!known) return invalid(where + ".kind", "unknown kind '" + std::string(*kind_text) + "'");

  auto secrets = resolve_list(*object, "secrets", where, env, source.problem);
  if (!secrets) return secrets.error();
  source.secrets = std::move(*secrets);
  auto keys = resolve_list(*object, "public_keys", where, env, source.problem);
  if (!keys) return keys.error();
  source.public_keys = std::move(*keys);
  auto tolerance = positive_integer(*object, "tolerance_s", where, 300);
  if (!tolerance) return tolerance.error();
  source.tolerance_s = *tolerance;
  auto max_body = positive_integer(*object, "max_body_bytes", where, 262144);
  if (!max_body) return max_body.error();
  source.max_body_bytes = static_cast<std::size_t>(*max_body);
  if (const auto* url = object->if_contains("public_url")) {
    if (!url->is_string()) return invalid(where + ".public_url", "must be a string");
    source.public_url = std::string(url->get_string());
  }

  if (const auto* tenant = object->if_contains("tenant")) {
    if (!tenant->is_string() || tenant->get_string().empty()) return invalid(where + ".tenant", "must be a tenant's name");
    source.tenant = std::string(tenant->get_string());
  }

  if (const auto* provider = object->if_contains("provider")) {
    if (!provider->is_string()) return invalid(where + ".provider", "must be a string");
    source.provider = std::string(provider->get_string());
  } else if (source.kind == SourceKind::telnyx) {
    source.provider = "telnyx";
  } else if (source.kind == SourceKind::openphone || source.kind == SourceKind::standard) {
    source.provider = "openphone";
  }

  const bool needs_public_key = source.kind == SourceKind::telnyx;
  if (source.problem.empty()) {
    if (needs_public_key && source.public_keys.empty()) return invalid(where + ".public_keys", "needs at least one key");
    if (!needs_public_key && source.secrets.empty() &&
        !(source.kind == SourceKind::standard && !source.public_keys.empty())) {
      return invalid(where + ".secrets", "needs at least one secret");
    }
    if (source.kind == SourceKind::twilio && source.public_url.empty()) {
      return invalid(where + ".public_url", "is required for twilio (the URL Twilio signs)");
    }
  }
  return source;
}

Result<TenantConfig> parse_tenant(const std::string& name, const json::value& value) {
  const std::string where = "tenants." + name;
  const auto* object = value.if_object();
  if (!object) return invalid(where, "must be an object");
  TenantConfig tenant;
  tenant.name = name;
  tenant.raw = *object;
  auto policy = reception::parse_policy(*object);
  if (!policy) return invalid(where, policy.error().message);
  tenant.policy = std::move(*policy);
  if (const auto* numbers = object->if_contains("numbers")) {
    const auto* list = numbers->if_array();
    if (!list) return invalid(where + ".numbers", "must be a list");
    for (const auto& number : *list) {
      const auto* text = number.if_string();
      auto e164 = text ? normalize_e164(*text) : std::nullopt;
      if (!e164) {
        // Built with append: GCC 12 at -O3 misreports "'" + s + "'" under -Wrestrict.
        std::string what = json::serialize(number);
        what.append(" is not a phone number");
        return invalid(where + ".numbers", what);
      }
      tenant.numbers.push_back(std::move(*e164));
    }
  }
  return tenant;
}

Result<std::string> optional_text(const json::object& object, std::string_view field, const std::string& where,
                                  std::string fallback) {
  const auto* value = object.if_contains(field);
  if (!value) return fallback;
  if (!value->is_string() || value->get_string().empty()) {
    return invalid(where + "." + std::string(field), "must be a non-empty string");
  }
  return std::string(value->get_string());
}

std::string_view default_base_url(std::string_view provider) {
  if (provider == "telnyx") return "https://api.telnyx.com";
  if (provider == "openphone") return "https://api.openphone.com";
  if (provider == "twilio") return "https://api.twilio.com";
  return {};
}

Result<ProviderConfig> parse_provider(const std::string& name, const json::value& value, const EnvLookup& env) {
  const std::string where = "providers." + name;
  const auto* object = value.if_object();
  if (!object) return invalid(where, "must be an object");
  ProviderConfig provider;
  provider.name = name;
  // Twilio calls its key the auth token, and it goes with the account's SID (HTTP Basic).
  const std::string_view key_field = name == "twilio" ? "auth_token" : "api_key";
  if (const auto* key = object->if_contains(key_field)) {
    auto resolved = resolve(*key, where + "." + std::string(key_field), env, provider.problem);
    if (!resolved) return resolved.error();
    provider.api_key = std::move(*resolved);
  }
  if (const auto* sid = object->if_contains("account_sid")) {
    auto resolved = resolve(*sid, where + ".account_sid", env, provider.problem);
    if (!resolved) return resolved.error();
    provider.account_sid = std::move(*resolved);
  }
  if (name == "twilio" && provider.problem.empty() && (provider.account_sid.empty() || provider.api_key.empty())) {
    return invalid(where, "needs account_sid and auth_token");
  }
  auto base_url = optional_text(*object, "base_url", where, std::string(default_base_url(name)));
  if (!base_url) return base_url.error();
  if (base_url->rfind("https://", 0) != 0 && base_url->rfind("http://", 0) != 0) {
    return invalid(where + ".base_url", "must be an http(s) URL");
  }
  while (!base_url->empty() && base_url->back() == '/') base_url->pop_back();
  provider.base_url = std::move(*base_url);
  auto voice = optional_text(*object, "voice", where, provider.voice);
  if (!voice) return voice.error();
  provider.voice = std::move(*voice);
  if (const auto* connection = object->if_contains("connection_id")) {
    if (!connection->is_string()) return invalid(where + ".connection_id", "must be a string");
    provider.connection_id = std::string(connection->get_string());
  }
  auto language = optional_text(*object, "language", where, provider.language);
  if (!language) return language.error();
  provider.language = std::move(*language);
  return provider;
}

Result<OutboundSettings> parse_outbound(const json::value& value) {
  const auto* object = value.if_object();
  if (!object) return invalid("outbound", "must be an object");
  OutboundSettings settings;
  auto attempts = positive_integer(*object, "max_attempts", "outbound", settings.max_attempts);
  if (!attempts) return attempts.error();
  auto base = positive_integer(*object, "base_delay_ms", "outbound", settings.base_delay_ms);
  if (!base) return base.error();
  auto most = positive_integer(*object, "max_delay_ms", "outbound", settings.max_delay_ms);
  if (!most) return most.error();
  // Bounded so backoff arithmetic cannot overflow and a queue cannot grow without end.
  if (*attempts > 100) return invalid("outbound.max_attempts", "must be at most 100");
  if (*most > 7LL * 24 * 3600 * 1000) return invalid("outbound.max_delay_ms", "must be at most a week");
  if (*base > *most) return invalid("outbound.base_delay_ms", "must not exceed max_delay_ms");
  settings.max_attempts = *attempts;
  settings.base_delay_ms = *base;
  settings.max_delay_ms = *most;
  return settings;
}

Result<bool> optional_bool(const json::object& object, std::string_view field, const std::string& where, bool fallback) {
  const auto* value = object.if_contains(field);
  if (!value) return fallback;
  if (!value->is_bool()) return invalid(where + "." + std::string(field), "must be true or false");
  return value->get_bool();
}

Result<FanoutSettings> parse_fanout(const json::value& value) {
  const auto* object = value.if_object();
  if (!object) return invalid("fanout", "must be an object");
  FanoutSettings settings;
  auto http = optional_bool(*object, "allow_http", "fanout", settings.allow_http);
  if (!http) return http.error();
  auto private_hosts = optional_bool(*object, "allow_private", "fanout", settings.allow_private);
  if (!private_hosts) return private_hosts.error();
  auto disable = positive_integer(*object, "disable_after_s", "fanout", settings.disable_after_s);
  if (!disable) return disable.error();
  auto retention = positive_integer(*object, "retention_days", "fanout", settings.retention_days);
  if (!retention) return retention.error();
  if (const auto* schedule = object->if_contains("schedule_s")) {
    const auto* list = schedule->if_array();
    if (!list || list->empty() || list->size() > 20) return invalid("fanout.schedule_s", "must be a list of 1 to 20 delays");
    settings.schedule_s.clear();
    for (const auto& delay : *list) {
      // A day at most between attempts keeps next_at arithmetic far from overflow.
      if (!delay.is_int64() || delay.get_int64() < 0 || delay.get_int64() > 86400) {
        return invalid("fanout.schedule_s", "each delay must be whole seconds from 0 to 86400");
      }
      settings.schedule_s.push_back(delay.get_int64());
    }
  }
  settings.allow_http = *http;
  settings.allow_private = *private_hosts;
  settings.disable_after_s = *disable;
  settings.retention_days = *retention;
  return settings;
}

}  // namespace

const TenantConfig& tenant_settings(const Config& config, std::string_view name) {
  static const TenantConfig unconfigured;  // immutable: built once, read by every caller
  const auto found = config.tenants.find(name);
  return found == config.tenants.end() ? unconfigured : found->second;
}

std::string_view source_kind_name(SourceKind kind) {
  for (const auto& [name, value] : kind_names) {
    if (value == kind) return name;
  }
  return "unknown";
}

Result<Config> parse_config(const json::object& document, const EnvLookup& env) {
  Config config;
  if (const auto* sources = document.if_contains("sources")) {
    const auto* object = sources->if_object();
    if (!object) return invalid("sources", "must be an object");
    for (const auto& [name, value] : *object) {
      auto source = parse_source(std::string(name), value, env);
      if (!source) return source.error();
      config.sources.emplace(std::string(name), std::move(*source));
    }
  }
  if (const auto* tenants = document.if_contains("tenants")) {
    const auto* object = tenants->if_object();
    if (!object) return invalid("tenants", "must be an object");
    for (const auto& [name, value] : *object) {
      auto tenant = parse_tenant(std::string(name), value);
      if (!tenant) return tenant.error();
      config.tenants.emplace(std::string(name), std::move(*tenant));
    }
  }
  for (const auto& [name, source] : config.sources) {
    if (!source.tenant.empty() && config.tenants.count(source.tenant) == 0) {
      return invalid("sources." + name + ".tenant", "names no configured tenant");
    }
  }
  if (const auto* providers = document.if_contains("providers")) {
    const auto* object = providers->if_object();
    if (!object) return invalid("providers", "must be an object");
    for (const auto& [name, value] : *object) {
      auto provider = parse_provider(std::string(name), value, env);
      if (!provider) return provider.error();
      config.providers.emplace(std::string(name), std::move(*provider));
    }
  }
  if (const auto* outbound = document.if_contains("outbound")) {
    auto settings = parse_outbound(*outbound);
    if (!settings) return settings.error();
    config.outbound = *settings;
  }
  if (const auto* fanout = document.if_contains("fanout")) {
    auto settings = parse_fanout(*fanout);
    if (!settings) return settings.error();
    config.fanout = std::move(*settings);
  }
  if (const auto* api = document.if_contains("api")) {
    const auto* object = api->if_object();
    if (!object) return invalid("api", "must be an object");
    auto limit = positive_integer(*object, "rate_limit", "api", config.api.rate_limit);
    if (!limit) return limit.error();
    config.api.rate_limit = *limit;
  }
  if (const auto* server = document.if_contains("server")) {
    const auto* object = server->if_object();
    if (!object) return invalid("server", "must be an object");
    auto connections = positive_integer(*object, "max_connections", "server", config.server.max_connections);
    if (!connections) return connections.error();
    auto request = positive_integer(*object, "request_timeout_s", "server", config.server.request_timeout_s);
    if (!request) return request.error();
    auto idle = positive_integer(*object, "idle_timeout_s", "server", config.server.idle_timeout_s);
    if (!idle) return idle.error();
    config.server = {*connections, *request, *idle};
  }
  if (const auto* retention = document.if_contains("retention")) {
    const auto* object = retention->if_object();
    if (!object) return invalid("retention", "must be an object");
    auto payloads = positive_integer(*object, "payload_days", "retention", config.retention.payload_days);
    if (!payloads) return payloads.error();
    auto dead = positive_integer(*object, "dead_letter_days", "retention", config.retention.dead_letter_days);
    if (!dead) return dead.error();
    auto logs = positive_integer(*object, "delivery_log_days", "retention", config.retention.delivery_log_days);
    if (!logs) return logs.error();
    config.retention = {*payloads, *dead, *logs};
  }
  if (const auto* metrics = document.if_contains("metrics")) {
    const auto* object = metrics->if_object();
    if (!object) return invalid("metrics", "must be an object");
    if (const auto* token = object->if_contains("token")) {
      auto resolved = resolve(*token, "metrics.token", env, config.metrics.problem);
      if (!resolved) return resolved.error();
      if (!resolved->empty()) config.metrics.token_sha256_hex = hex_encode(crypto::bytes_of(crypto::sha256(*resolved)));
    }
  }
  if (env) {
    if (auto bootstrap = env("FRONTDESK_BOOTSTRAP_TOKEN"); bootstrap && !bootstrap->empty()) {
      config.api.bootstrap_sha256_hex = hex_encode(crypto::bytes_of(crypto::sha256(*bootstrap)));
    }
  }
  if (const auto* diagnostics = document.if_contains("diagnostics")) {
    if (!diagnostics->is_bool()) return invalid("diagnostics", "must be true or false");
    config.diagnostics = diagnostics->get_bool();
  }
  return config;
}

}  // namespace frontdesk
