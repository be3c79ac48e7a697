#include "simulate_command.hpp"

#include <sodium.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "cli_flags.hpp"
#include "core/app.hpp"
#include "core/encoding.hpp"
#include "core/phone.hpp"
#include "env_file.hpp"
#include "files.hpp"
#include "http_client.hpp"
#include "simulated_delivery.hpp"

namespace frontdesk::native {
namespace {

namespace json = boost::json;

int fail(std::string_view problem, bool usage = false) {
  std::cerr << "frontdesk simulate: " << problem << "\n";
  if (usage) std::cerr << "usage: " << simulate_usage << "\n";
  return 2;
}

// The environment variable named by the source's first public key ("env:NAME").
std::string public_key_reference(const json::object& document, std::string_view source) {
  const auto* sources = document.if_contains("sources");
  const auto* entry = sources && sources->is_object() ? sources->get_object().if_contains(source) : nullptr;
  const auto* keys = entry && entry->is_object() ? entry->get_object().if_contains("public_keys") : nullptr;
  if (!keys || !keys->is_array() || keys->get_array().empty() || !keys->get_array()[0].is_string()) return {};
  const std::string_view first = keys->get_array()[0].get_string();
  return first.starts_with("env:") ? std::string(first.substr(4)) : std::string{};
}

}  // namespace

int simulate_main(std::span<const std::string_view> args) {
  if (args.empty() || (args[0] != "call" && args[0] != "text")) return fail("say call or text", true);
  auto flags = split_flags(args.subspan(1), {"--source", "--from", "--to", "--text", "--config", "--env-file", "--url"});
  if (const auto* error = std::get_if<std::string>(&flags)) return fail(*error, true);
  std::map<std::string, std::string, std::less<>> given{{"--config", "examples/frontdesk.json"},
                                                       {"--env-file", ".data/dev.env"},
                                                       {"--url", "http://127.0.0.1:8787"},
                                                       {"--text", "Hi! Is anyone there? Please call me back."}};
  for (const auto& [flag, value] : std::get<Flags>(flags)) given[std::string(flag)] = value;
  if (!given.contains("--source") || !given.contains("--from")) return fail("--source and --from are required", true);

  Simulation simulation;
  simulation.kind = args[0] == "call" ? SimulatedKind::call : SimulatedKind::text;
  simulation.text = given["--text"];
  const auto from = normalize_e164(given["--from"]);
  if (!from) return fail("--from: not a phone number");
  simulation.from = *from;

  const auto config = read_whole_file(given["--config"]);
  if (!config) return fail("cannot read the configuration " + given["--config"]);
  auto file_values = read_env_file(given["--env-file"]);
  if (!file_values) return fail(file_values.error().message);
  // The process environment first, then the development secrets file.
  const EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
    if (const char* value = std::getenv(std::string(name).c_str()); value && *value) return std::string(value);
    if (const auto found = file_values->find(name); found != file_values->end()) return found->second;
    return std::nullopt;
  };
  const auto app = App::create(*config, env);
  if (!app) return fail("configuration " + given["--config"] + ": " + app.error().message);
  const auto& settings = app->settings();
  const auto source = settings.sources.find(given["--source"]);
  if (source == settings.sources.end()) return fail("no source named " + given["--source"] + " in " + given["--config"]);

  if (given.contains("--to")) {
    const auto to = normalize_e164(given["--to"]);
    if (!to) return fail("--to: not a phone number");
    simulation.to = *to;
  } else {
    for (const auto& [name, tenant] : settings.tenants) {
      if (!tenant.numbers.empty()) {
        simulation.to = tenant.numbers.front();
        break;
      }
    }
    if (simulation.to.empty()) return fail("--to is required: no tenant has a number");
  }

  SigningKeys keys;
  if (source->second.kind == SourceKind::telnyx) {
    const auto name = public_key_reference(app->config(), source->first);
    const auto seed = name.empty() ? std::nullopt : env(name + "_SIGNING_SEED");
    const auto decoded = seed ? base64_decode(*seed) : std::nullopt;
    if (!decoded) {
      return fail("no signing key for source " + source->first + ": " + (name.empty() ? "its" : name) +
                  "_SIGNING_SEED is unset (frontdesk dev-env makes one)");
    }
    keys.ed25519_seed = *decoded;
  }
  if (sodium_init() < 0) return 1;
  std::string random(16, '\0');
  randombytes_buf(random.data(), random.size());
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto delivery = simulated_delivery(source->second, simulation, keys, now_ms, random);
  if (!delivery) return fail(delivery.error().message);

  auto base = given["--url"];
  while (!base.empty() && base.back() == '/') base.pop_back();
  FetchRequest request{"POST", base + delivery->path, delivery->headers, delivery->body, std::nullopt, false};
  boost::asio::io_context io;
  HttpClient http(io);
  int status = 0;
  http.fetch(std::move(request), [&](Result<FetchResponse> response) {
    if (!response) {
      std::cerr << "frontdesk simulate: no answer from " << base << ": " << response.error().message << "\n";
      return;
    }
    status = response->status;
    std::cout << "POST " << delivery->path << " → " << response->status << " " << response->body << "\n";
  });
  io.run();
  return status >= 200 && status < 300 ? 0 : 1;
}

}  // namespace frontdesk::native
