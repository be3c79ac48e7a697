#include "site.hpp"

#include <algorithm>
#include <random>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <memory>

#include "core/api/tokens.hpp"
#include "core/crypto/primitives.hpp"
#include "core/dispatch.hpp"
#include "core/live/ticket.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/metrics/tenant.hpp"
#include "core/objects/protocol.hpp"
#include "files.hpp"
#include "storage_metrics.hpp"

namespace frontdesk::native {
namespace {

std::string_view content_type_of(const std::filesystem::path& file) {
  const auto extension = file.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".json" || extension == ".map") return "application/json";
  return "application/octet-stream";
}

// Paths the core owns, never looked up among the console's files.
bool core_path(std::string_view path) {
  return path.rfind("/api/", 0) == 0 || path.rfind("/webhooks/", 0) == 0 || path.rfind("/diagnostics/", 0) == 0 ||
         path == "/health";
}

bool bearer_matches(const Request& request, const std::string& sha256_hex) {
  const auto presented = api::bearer_token(request.headers.get("authorization"));
  return presented && crypto::constant_time_equal(api::token_hash(*presented), sha256_hex);
}

}  // namespace

Site::Site(Host& host, const App& app, SiteOptions options)
    : host_(host), app_(app), options_(std::move(options)), run_id_(std::random_device{}()) {}

std::string Site::request_id(std::string_view offered) {
  const bool plain = !offered.empty() && offered.size() <= 64 &&
                     std::all_of(offered.begin(), offered.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                              c == '_' || c == '.';
                     });
  if (plain) return std::string(offered);
  // The run's random high half and a counter: unique within the run, unlikely across runs.
  const std::uint64_t id = (run_id_ << 32) ^ ++requests_;
  static constexpr char digits[] = "0123456789abcdef";
  std::string text = "req_";
  for (int shift = 60; shift >= 0; shift -= 4) text += digits[(id >> shift) & 0xF];
  return text;
}

std::optional<std::filesystem::path> Site::console_file(std::string_view path) const {
  if (!options_.console_dir || core_path(path) || path.empty() || path.front() != '/') return std::nullopt;
  const std::string_view name = path == "/" ? "/index.html" : path;
  // Only plain names below the directory: no "..", no hidden files, no encoded bytes.
  for (const char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                       c == '.' || c == '-' || c == '_';
    if (!plain) return std::nullopt;
  }
  if (name.find("/.") != std::string_view::npos) return std::nullopt;
  auto file = *options_.console_dir / std::filesystem::path(name.substr(1));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

std::string_view Site::route_of(std::string_view method, std::string_view path) const {
  if (method == "GET" || method == "HEAD") {
    if (path == "/metrics") return "/metrics";
    if (path == live::path) return live::path;
    if (console_file(path)) return "console";
  }
  return route_pattern(method, path);
}

bool Site::answers(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") return false;
  return request.path == "/metrics" || console_file(request.path).has_value();
}

void Site::answer(const Request& request, bool from_loopback, std::function<void(Response)> done) {
  if (request.path == "/metrics") {
    return boost::asio::post(host_.io(), [this, request, from_loopback, done = std::move(done)]() mutable {
      answer_metrics(request, from_loopback, std::move(done));
    });
  }
  const auto file = console_file(request.path);
  const auto body = file ? read_whole_file(*file) : std::nullopt;
  if (!body) return done(error_response(ErrorCode::not_found, "No route for " + request.method + " " + request.path));
  Response response;
  response.headers.add("content-type", std::string(content_type_of(*file)));
  response.headers.add("cache-control", "no-cache");
  response.headers.add("x-content-type-options", "nosniff");
  response.headers.add("content-security-policy",
                       "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  response.headers.add("referrer-policy", "no-referrer");
  response.body = std::move(*body);
  done(std::move(response));
}

void Site::answer_metrics(const Request& request, bool from_loopback, std::function<void(Response)> done) {
  const auto& settings = app_.settings().metrics;
  if (!settings.problem.empty()) {
    return done(error_response(ErrorCode::forbidden, "metrics.token: " + settings.problem));
  }
  if (!settings.token_sha256_hex.empty() ? !bearer_matches(request, settings.token_sha256_hex) : !from_loopback) {
    return done(error_response(ErrorCode::forbidden, settings.token_sha256_hex.empty()
                                                         ? "GET /metrics is served to loopback clients only "
                                                           "(set metrics.token to read it from elsewhere)"
                                                         : "GET /metrics needs the metrics token as a Bearer token"));
  }
  // Every tenant's ledger is asked at once; the answer goes when the last one replied.
  struct Gathering {
    std::vector<metrics::TenantCounts> tenants;
    std::size_t waiting = 0;
    std::string failure;
    std::function<void(Response)> done;
  };
  auto gathering = std::make_shared<Gathering>();
  gathering->done = std::move(done);
  const auto finish = [this, gathering] {
    if (!gathering->failure.empty()) {
      return gathering->done(error_response(ErrorCode::storage_unavailable, gathering->failure));
    }
    auto families = metrics_.families();
    for (auto& family : storage_families(host_)) families.push_back(std::move(family));
    for (auto& family : metrics::tenant_families(gathering->tenants)) families.push_back(std::move(family));
    Response response;
    response.headers.add("content-type", std::string(metrics::content_type));
    response.body = metrics::render(families);
    gathering->done(std::move(response));
  };
  for (const auto& [tenant, config] : app_.settings().tenants) gathering->tenants.push_back({tenant, {}});
  gathering->waiting = gathering->tenants.size();
  if (gathering->waiting == 0) return finish();
  for (std::size_t i = 0; i < gathering->tenants.size(); ++i) {
    host_.call_object(ObjectKey{"ledger", gathering->tenants[i].tenant}, objects::protocol::encode_request<objects::protocol::Metrics>({}),
                      [gathering, i, finish](ObjectReply reply) {
                        if (!reply) {
                          gathering->failure = "ledger " + gathering->tenants[i].tenant + ": " + reply.error().message;
                        } else if (auto counts = objects::protocol::decode_reply<objects::protocol::Metrics>(*reply)) {
                          gathering->tenants[i].counts = std::move(*counts);
                        } else {
                          gathering->failure = "ledger " + gathering->tenants[i].tenant + ": " + counts.error().message;
                        }
                        if (--gathering->waiting == 0) finish();
                      });
  }
}

}  // namespace frontdesk::native
