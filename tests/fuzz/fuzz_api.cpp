// The API as a caller reaches it: arbitrary method, path, query, Authorization and body,
// and arbitrary ledger replies, through the whole route (authentication, scopes, input
// parsing, answer building). The host answers every other effect as a healthy one would.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/app.hpp"
#include "core/session.hpp"

namespace {

using namespace frontdesk;

constexpr std::array<std::string_view, 5> methods{"GET", "POST", "PUT", "DELETE", "PATCH"};

// Splits the input at '\n' into up to `count` fields; missing ones stay empty.
std::array<std::string, 5> fields_of(std::string_view input) {
  std::array<std::string, 5> fields;
  for (std::size_t i = 0; i < fields.size() && !input.empty(); ++i) {
    const auto end = i + 1 == fields.size() ? std::string_view::npos : input.find('\n');
    fields[i] = std::string(input.substr(0, end));
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
  }
  return fields;
}

constexpr std::string_view authorized =
    R"({"ok":true,"token":{"id":"tok_1","scopes":["calls:read","calls:write","messages:read","messages:write",)"
    R"("registry:read","registry:write","events:read","audit:read","tokens:admin","platform"],"expires_at_ms":null},)"
    R"("rate":{"limit":600,"remaining":599,"reset_s":30,"allowed":true}})";

EffectOutput answer(const Effect& effect, const std::string& ledger_reply) {
  if (std::holds_alternative<Now>(effect)) return std::int64_t{1700000000000};
  if (const auto* random = std::get_if<Random>(&effect)) return std::string(random->bytes, '\x2a');
  if (std::holds_alternative<KvGet>(effect)) {
    return std::optional<std::string>{std::string(R"({"tenant":"acme","id":"tok_1"})")};
  }
  if (const auto* call = std::get_if<ObjectCall>(&effect)) {
    if (call->message.find("\"authorize\"") != std::string::npos) return std::string(authorized);
    return ledger_reply;
  }
  return std::monostate{};
}

const App& app() {
  static const App instance = [] {
    auto created = App::create(
        R"({"tenants":{"acme":{"numbers":["+18886115384"]}},"providers":{"openphone":{"api_key":"k"}}})",
        [](std::string_view) { return std::optional<std::string>{}; });
    return std::move(created.value());
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto [path, query, authorization, body, ledger_reply] = fields_of(input);
  Request request;
  request.method = std::string(methods[data[0] % methods.size()]);
  request.path = "/api/v1/" + path;
  request.query = query;
  if (!authorization.empty()) request.headers.add("authorization", authorization);
  request.headers.add("idempotency-key", "k");
  request.body = body;
  auto session = Session::start(app(), std::move(request));
  for (int round = 0; round < 64 && !session->done(); ++round) {
    std::vector<EffectResult> results;
    for (auto& pending : session->take_effects()) results.push_back({pending.id, answer(pending.effect, ledger_reply)});
    session->resume(std::move(results));
  }
  return 0;
}
