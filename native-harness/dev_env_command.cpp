#include "dev_env_command.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>

#include "cli_flags.hpp"
#include "core/encoding.hpp"
#include "env_file.hpp"
#include "files.hpp"

namespace frontdesk::native {
namespace {

namespace json = boost::json;

std::string random_bytes(std::size_t count) {
  std::string bytes(count, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

// "env:NAME" → NAME; anything else is no reference.
std::string_view reference(const json::value& value) {
  const auto* text = value.if_string();
  if (!text || !std::string_view(*text).starts_with("env:")) return {};
  return std::string_view(*text).substr(4);
}

bool is_set(const EnvValues& values, std::string_view name) {
  if (values.contains(name)) return true;
  const char* value = std::getenv(std::string(name).c_str());
  return value && *value;
}

void add_key_pair(EnvValues& values, std::string_view name) {
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  const auto seed = random_bytes(crypto_sign_SEEDBYTES);
  crypto_sign_seed_keypair(public_key, secret_key, reinterpret_cast<const unsigned char*>(seed.data()));
  sodium_memzero(secret_key, sizeof secret_key);
  values[std::string(name)] = base64_encode(std::string_view(reinterpret_cast<const char*>(public_key), sizeof public_key));
  values[std::string(name) + "_SIGNING_SEED"] = base64_encode(seed);
}

std::string secret_for(std::string_view kind) {
  if (kind == "openphone") return base64_encode(random_bytes(32));
  if (kind == "standard" || kind == "stripe") return "whsec_" + base64_encode(random_bytes(24));
  if (kind == "twilio") return hex_encode(random_bytes(16));
  return hex_encode(random_bytes(20));  // github, and anything else
}

// Every unset env: reference of the document, with a value made for its place.
void fill(const json::object& document, EnvValues& values) {
  const auto each = [&](const json::value* list, auto&& make) {
    if (!list || !list->is_array()) return;
    for (const auto& item : list->get_array()) {
      const auto name = reference(item);
      if (!name.empty() && !is_set(values, name)) make(name);
    }
  };
  if (const auto* sources = document.if_contains("sources"); sources && sources->is_object()) {
    for (const auto& [source, value] : sources->get_object()) {
      const auto* object = value.if_object();
      if (!object) continue;
      const auto* kind_value = object->if_contains("kind");
      const std::string kind = kind_value && kind_value->is_string() ? std::string(kind_value->get_string()) : "";
      each(object->if_contains("public_keys"), [&](std::string_view name) { add_key_pair(values, name); });
      each(object->if_contains("secrets"), [&](std::string_view name) { values[std::string(name)] = secret_for(kind); });
    }
  }
  if (const auto* providers = document.if_contains("providers"); providers && providers->is_object()) {
    for (const auto& [provider, value] : providers->get_object()) {
      const auto* key = value.is_object() ? value.get_object().if_contains("api_key") : nullptr;
      const auto name = key ? reference(*key) : std::string_view{};
      // A placeholder: nothing real is reachable with it, so commands to the provider fail
      // and show up as dead letters in the console.
      if (!name.empty() && !is_set(values, name)) values[std::string(name)] = "dev-placeholder-" + hex_encode(random_bytes(8));
    }
  }
}

}  // namespace

int dev_env_main(std::span<const std::string_view> args) {
  auto flags = split_flags(args, {"--config", "--out"});
  if (const auto* error = std::get_if<std::string>(&flags)) {
    std::cerr << "frontdesk dev-env: " << *error << "\nusage: " << dev_env_usage << "\n";
    return 2;
  }
  std::string config_path;
  std::string out_path;
  for (const auto& [flag, value] : std::get<Flags>(flags)) (flag == "--config" ? config_path : out_path) = value;
  if (config_path.empty() || out_path.empty()) {
    std::cerr << "frontdesk dev-env: --config and --out are required\nusage: " << dev_env_usage << "\n";
    return 2;
  }
  const auto text = read_whole_file(config_path);
  json::error_code ec;
  const auto document = text ? json::parse(*text, ec) : json::value{};
  if (!text || ec || !document.is_object()) {
    std::cerr << "frontdesk dev-env: cannot read the configuration " << config_path << "\n";
    return 2;
  }
  if (sodium_init() < 0) return 1;
  auto values = read_env_file(out_path);
  if (!values) {
    std::cerr << "frontdesk dev-env: " << values.error().message << "\n";
    return 1;
  }
  const auto before = values->size();
  fill(document.get_object(), *values);
  if (auto written = write_env_file(out_path, *values); !written) {
    std::cerr << "frontdesk dev-env: " << written.error().message << "\n";
    return 1;
  }
  std::cout << out_path << ": " << (values->size() - before) << " new development secrets\n";
  return 0;
}

}  // namespace frontdesk::native
