// Verified ingress natively: verify + parse + normalize of a 2 KiB delivery, against
// libsodium's raw primitive on the same bytes (the issue's target: ≤ 3× the raw check).
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <boost/json.hpp>

#include "core/crypto/primitives.hpp"
#include "core/encoding.hpp"
#include "core/normalize/normalize.hpp"
#include "core/verify/verify.hpp"

namespace {
using namespace frontdesk;

constexpr std::int64_t now_s = 1700000000;

// A realistic call.initiated, padded to 2 KiB with a client_state like real ones carry.
std::string telnyx_body() {
  std::string body = R"({"data":{"event_type":"call.initiated","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",)"
                     R"("occurred_at":"2024-05-01T10:00:00.000000Z","payload":{"call_control_id":"v3:abc",)"
                     R"("call_leg_id":"2dc6fc34","call_session_id":"2dc1b3c8","connection_id":"7267xxxxxxxxxxxxxx",)"
                     R"("direction":"incoming","from":"+15555550123","to":"+18886115384","state":"parked",)"
                     R"("shaken_stir_attestation":"A","shaken_stir_validated":true,"client_state":")";
  body += std::string(2048 - body.size() - 60, 'x');
  body += R"("},"record_type":"event"},"meta":{"attempt":1}})";
  return body;
}

std::string openphone_body() {
  std::string body = R"({"id":"EVc67ec998b35c41d388af50799aeeba3e","object":"event","apiVersion":"v3",)"
                     R"("createdAt":"2024-05-01T10:00:00.000Z","type":"message.received","data":{"object":{)"
                     R"("id":"MSa1","object":"message","from":"+15555550123","to":["+18886115384"],)"
                     R"("direction":"incoming","status":"received","text":")";
  body += std::string(2048 - body.size() - 10, 'y');
  body += R"("}}})";
  return body;
}

struct Fixture {
  Config config;
  SourceConfig telnyx;
  SourceConfig openphone;
  Request telnyx_request;
  Request openphone_request;
  std::string public_key = std::string(32, '\0');
  std::string telnyx_signed;
  std::string telnyx_signature = std::string(64, '\0');
  std::string openphone_key = "openphone-bench-secret";
  std::string openphone_signed;

  Fixture() {
    std::string secret_key(64, '\0');
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                        reinterpret_cast<unsigned char*>(secret_key.data()));
    const auto ts = std::to_string(now_s);
    telnyx_request.method = "POST";
    telnyx_request.body = telnyx_body();
    telnyx_signed = ts + "|" + telnyx_request.body;
    crypto_sign_detached(reinterpret_cast<unsigned char*>(telnyx_signature.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(telnyx_signed.data()), telnyx_signed.size(),
                         reinterpret_cast<const unsigned char*>(secret_key.data()));
    telnyx_request.headers.add("content-type", "application/json");
    telnyx_request.headers.add("telnyx-timestamp", ts);
    telnyx_request.headers.add("telnyx-signature-ed25519", base64_encode(telnyx_signature));
    telnyx.name = "telnyx";
    telnyx.kind = SourceKind::telnyx;
    telnyx.public_keys = {base64_encode(public_key)};

    const auto ts_ms = std::to_string(now_s * 1000);
    openphone_request.method = "POST";
    openphone_request.body = openphone_body();
    openphone_signed = ts_ms + "." + openphone_request.body;
    openphone_request.headers.add("content-type", "application/json");
    openphone_request.headers.add(
        "openphone-signature",
        "hmac;1;" + ts_ms + ";" + base64_encode(crypto::bytes_of(crypto::hmac_sha256(openphone_key, openphone_signed))));
    openphone.name = "openphone";
    openphone.kind = SourceKind::openphone;
    openphone.secrets = {base64_encode(openphone_key)};
    auto document = boost::json::parse(R"({"tenants":{"acme":{"numbers":["+18886115384"]}}})");
    config = std::move(parse_config(document.as_object(), {}).value());
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_Telnyx_RawEd25519(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto_sign_verify_detached(
        reinterpret_cast<const unsigned char*>(f.telnyx_signature.data()),
        reinterpret_cast<const unsigned char*>(f.telnyx_signed.data()), f.telnyx_signed.size(),
        reinterpret_cast<const unsigned char*>(f.public_key.data())));
  }
}
BENCHMARK(BM_Telnyx_RawEd25519);

void BM_Telnyx_VerifyParseNormalize(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) {
    auto verified = verify::verify_delivery(f.telnyx, f.telnyx_request, now_s * 1000);
    if (!verified) state.SkipWithError("telnyx did not verify");
    auto event = normalize::normalize({f.config, f.telnyx, f.telnyx_request, *verified, now_s * 1000});
    benchmark::DoNotOptimize(event);
  }
}
BENCHMARK(BM_Telnyx_VerifyParseNormalize);

void BM_OpenPhone_RawHmacSha256(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(crypto::hmac_sha256(f.openphone_key, f.openphone_signed));
}
BENCHMARK(BM_OpenPhone_RawHmacSha256);

void BM_OpenPhone_VerifyParseNormalize(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) {
    auto verified = verify::verify_delivery(f.openphone, f.openphone_request, now_s * 1000);
    if (!verified) state.SkipWithError("openphone did not verify");
    auto event = normalize::normalize({f.config, f.openphone, f.openphone_request, *verified, now_s * 1000});
    benchmark::DoNotOptimize(event);
  }
}
BENCHMARK(BM_OpenPhone_VerifyParseNormalize);

}  // namespace

// The step input and runtime init of a signed 2 KiB Telnyx delivery (effect_loop_bench).
std::string bench_telnyx_step_input(std::string& init) {
  const auto& f = fixture();
  init = boost::json::serialize(boost::json::object{
      {"config", {{"sources", {{"telnyx", {{"kind", "telnyx"}, {"public_keys", {base64_encode(f.public_key)}}}}}}}},
      {"env", boost::json::object{}}});
  boost::json::array headers;
  for (const auto& [name, value] : f.telnyx_request.headers.entries()) headers.push_back({name, value});
  return boost::json::serialize(boost::json::object{
      {"op", "request"},
      {"request",
       {{"method", "POST"}, {"path", "/webhooks/telnyx"}, {"query", ""}, {"headers", headers},
        {"body_b64", base64_encode(f.telnyx_request.body)}}}});
}
