#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "core/crypto/primitives.hpp"
#include "core/encoding.hpp"
#include "core/verify/verify.hpp"

using namespace frontdesk;
using namespace frontdesk::verify;

namespace {

nlohmann::json vectors() {
  std::ifstream file(std::string(FRONTDESK_VECTORS_DIR) + "/signatures.json");
  return nlohmann::json::parse(file);
}

SourceConfig source_of(SourceKind kind, std::vector<std::string> secrets, std::vector<std::string> keys = {}) {
  SourceConfig source;
  source.name = "test";
  source.kind = kind;
  source.secrets = std::move(secrets);
  source.public_keys = std::move(keys);
  return source;
}

Request post(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.path = "/webhooks/test";
  request.body = std::move(body);
  request.headers.add("Content-Type", std::move(content_type));
  return request;
}

ErrorCode code_of(const Result<Verified>& result) {
  REQUIRE_FALSE(result.ok());
  return result.error().code;
}

std::string hmac_b64(std::string_view key, std::string_view message) {
  return base64_encode(crypto::bytes_of(crypto::hmac_sha256(key, message)));
}

std::string hmac_hex(std::string_view key, std::string_view message) {
  return hex_encode(crypto::bytes_of(crypto::hmac_sha256(key, message)));
}

struct Ed25519Key {
  std::string public_key = std::string(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key = std::string(crypto_sign_SECRETKEYBYTES, '\0');
  Ed25519Key() {
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                        reinterpret_cast<unsigned char*>(secret_key.data()));
  }
  std::string sign(std::string_view message) const {
    std::string signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         reinterpret_cast<const unsigned char*>(secret_key.data()));
    return signature;
  }
};

constexpr std::int64_t now_s = 1700000000;
constexpr std::int64_t now_ms = now_s * 1000;

}  // namespace

TEST_CASE("content types are compared without parameters; others are 415 (GitHub also takes its form content type)") {
  const auto source = source_of(SourceKind::github, {"s"});
  auto request = post("{}", "Application/JSON; charset=utf-8");
  request.headers.add("X-Hub-Signature-256", "sha256=" + hmac_hex("s", "{}"));
  CHECK(verify_delivery(source, request, now_ms).ok());
  CHECK(code_of(verify_delivery(source, post("{}", "text/plain"), now_ms)) == ErrorCode::unsupported_media_type);
  Request bare = post("{}");
  bare.headers.remove("content-type");
  CHECK(code_of(verify_delivery(source, bare, now_ms)) == ErrorCode::unsupported_media_type);
  auto form = post("payload=%7B%7D", "application/x-www-form-urlencoded");
  form.headers.add("X-Hub-Signature-256", "sha256=" + hmac_hex("s", "payload=%7B%7D"));
  CHECK(verify_delivery(source, form, now_ms).ok());
  const auto stripe = source_of(SourceKind::stripe, {"s"});
  CHECK(code_of(verify_delivery(stripe, post("a=b", "application/x-www-form-urlencoded"), now_ms)) ==
        ErrorCode::unsupported_media_type);
}

TEST_CASE("GitHub: the published example verifies; tampering, wrong secret and malformed headers do not") {
  const auto v = vectors().at("github").at(0);
  const auto source = source_of(SourceKind::github, {v.at("secret")});
  auto request = post(v.at("body"));
  request.headers.add("X-Hub-Signature-256", v.at("value"));
  request.headers.add("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  const auto ok = verify_delivery(source, request, now_ms);
  REQUIRE(ok.ok());
  CHECK(ok->delivery_id == "72d3162e-cc78-11e3-81ab-4c9367dc0958");

  auto tampered = request;
  tampered.body += " ";
  CHECK(code_of(verify_delivery(source, tampered, now_ms)) == ErrorCode::bad_signature);
  CHECK(code_of(verify_delivery(source_of(SourceKind::github, {"other"}), request, now_ms)) == ErrorCode::bad_signature);
  CHECK(code_of(verify_delivery(source, post(v.at("body")), now_ms)) == ErrorCode::missing_signature);
  for (const auto& header : std::vector<std::string>{"sha1=757107ea", "sha256=zz", "sha256=757107ea0eb2509fc211221cce984b8a", ""}) {
    auto malformed = post(v.at("body"));
    malformed.headers.add("X-Hub-Signature-256", header);
    CHECK(code_of(verify_delivery(source, malformed, now_ms)) == ErrorCode::bad_signature);
  }
  // Rotation: any configured secret verifies.
  CHECK(verify_delivery(source_of(SourceKind::github, {"old", v.at("secret")}), request, now_ms).ok());
}

TEST_CASE("Standard Webhooks: the reference vector verifies, its invalid twin does not") {
  const auto v = vectors().at("standard_webhooks").at(0);
  const auto source = source_of(SourceKind::standard, {v.at("secret")});
  const std::int64_t at = std::stoll(v.at("webhook-timestamp").get<std::string>()) * 1000;
  auto request = post(v.at("body"));
  request.headers.add("webhook-id", v.at("webhook-id"));
  request.headers.add("webhook-timestamp", v.at("webhook-timestamp"));
  request.headers.add("webhook-signature", v.at("webhook-signature"));
  const auto ok = verify_delivery(source, request, at);
  REQUIRE(ok.ok());
  CHECK(ok->delivery_id == "msg_p5jXN8AQM9LWM0D4loKWxJek");

  auto invalid = request;
  invalid.headers.set("webhook-signature", v.at("invalid_signature"));
  CHECK(code_of(verify_delivery(source, invalid, at)) == ErrorCode::bad_signature);
  // Several entries: one valid among others is enough.
  auto several = request;
  several.headers.set("webhook-signature", "v2,abc " + v.at("invalid_signature").get<std::string>() + " " +
                                               v.at("webhook-signature").get<std::string>());
  CHECK(verify_delivery(source, several, at).ok());
  CHECK(code_of(verify_delivery(source, request, at + 301000)) == ErrorCode::stale_timestamp);
  CHECK(code_of(verify_delivery(source, request, at - 301000)) == ErrorCode::stale_timestamp);
  CHECK(verify_delivery(source, request, at + 300000).ok());

  auto svix = post(v.at("body"));
  svix.headers.add("svix-id", v.at("webhook-id"));
  svix.headers.add("svix-timestamp", v.at("webhook-timestamp"));
  svix.headers.add("svix-signature", v.at("webhook-signature"));
  CHECK(verify_delivery(source, svix, at).ok());

  auto no_entry = request;
  no_entry.headers.set("webhook-signature", "v2,xyz nonsense");
  CHECK(code_of(verify_delivery(source, no_entry, at)) == ErrorCode::bad_signature);
  auto bad_time = request;
  bad_time.headers.set("webhook-timestamp", "16142653x0");
  CHECK(code_of(verify_delivery(source, bad_time, at)) == ErrorCode::bad_signature);
  auto missing = request;
  missing.headers.remove("webhook-id");
  CHECK(code_of(verify_delivery(source, missing, at)) == ErrorCode::missing_signature);
}

TEST_CASE("Standard Webhooks v1a: Ed25519 signatures with whpk_ keys") {
  const Ed25519Key key;
  const auto source = source_of(SourceKind::standard, {}, {"whpk_" + base64_encode(key.public_key)});
  auto request = post(R"({"type":"call.ringing"})");
  request.headers.add("webhook-id", "msg_1");
  request.headers.add("webhook-timestamp", std::to_string(now_s));
  request.headers.add("webhook-signature",
                      "v1a," + base64_encode(key.sign("msg_1." + std::to_string(now_s) + "." + request.body)));
  CHECK(verify_delivery(source, request, now_ms).ok());
  request.body += "x";
  CHECK(code_of(verify_delivery(source, request, now_ms)) == ErrorCode::bad_signature);
}

TEST_CASE("OpenPhone: any fresh valid entry verifies; stale, wrong and garbled entries do not") {
  const std::string secret = base64_encode("openphone-test-secret-bytes");
  const auto source = source_of(SourceKind::openphone, {secret});
  const std::string body = R"({"id":"EV1","type":"message.received"})";
  const std::string ts = std::to_string(now_ms);
  const auto valid = "hmac;1;" + ts + ";" + hmac_b64("openphone-test-secret-bytes", ts + "." + body);
  auto request = post(body);
  request.headers.add("openphone-signature", valid);
  CHECK(verify_delivery(source, request, now_ms).ok());

  auto rotated = request;
  rotated.headers.set("openphone-signature", "hmac;1;" + ts + ";" + hmac_b64("older", ts + "." + body) + "," + valid);
  CHECK(verify_delivery(source, rotated, now_ms).ok());
  CHECK(code_of(verify_delivery(source, request, now_ms + 301000)) == ErrorCode::stale_timestamp);
  CHECK(code_of(verify_delivery(source_of(SourceKind::openphone, {base64_encode("wrong")}), request, now_ms)) ==
        ErrorCode::bad_signature);
  for (const auto& header : std::vector<std::string>{"hmac;1;abc;AAAA", "garbage", "hmac;2;" + ts + ";AAAA", ""}) {
    auto garbled = post(body);
    garbled.headers.add("openphone-signature", header);
    CHECK(code_of(verify_delivery(source, garbled, now_ms)) == ErrorCode::bad_signature);
  }
  CHECK(code_of(verify_delivery(source, post(body), now_ms)) == ErrorCode::missing_signature);
}

TEST_CASE("Telnyx: Ed25519 over ts|body with the configured public key") {
  const Ed25519Key key;
  const Ed25519Key other;
  const auto source = source_of(SourceKind::telnyx, {}, {base64_encode(other.public_key), base64_encode(key.public_key)});
  const std::string body = R"({"data":{"event_type":"call.initiated","id":"e1"}})";
  const std::string ts = std::to_string(now_s);
  auto request = post(body);
  request.headers.add("telnyx-timestamp", ts);
  request.headers.add("telnyx-signature-ed25519", base64_encode(key.sign(ts + "|" + body)));
  CHECK(verify_delivery(source, request, now_ms).ok());

  auto tampered = request;
  tampered.body.back() = ']';
  CHECK(code_of(verify_delivery(source, tampered, now_ms)) == ErrorCode::bad_signature);
  auto truncated = request;
  truncated.headers.set("telnyx-signature-ed25519", base64_encode(key.sign(ts + "|" + body).substr(0, 63)));
  CHECK(code_of(verify_delivery(source, truncated, now_ms)) == ErrorCode::bad_signature);
  auto overlong = request;
  overlong.headers.set("telnyx-signature-ed25519", base64_encode(key.sign(ts + "|" + body) + "x"));
  CHECK(code_of(verify_delivery(source, overlong, now_ms)) == ErrorCode::bad_signature);
  CHECK(code_of(verify_delivery(source, request, now_ms - 301000)) == ErrorCode::stale_timestamp);
  auto missing = request;
  missing.headers.remove("telnyx-timestamp");
  CHECK(code_of(verify_delivery(source, missing, now_ms)) == ErrorCode::missing_signature);
  CHECK(code_of(verify_delivery(source_of(SourceKind::telnyx, {}, {base64_encode(other.public_key)}), request,
                                now_ms)) == ErrorCode::bad_signature);
}

TEST_CASE("Twilio: every published vector verifies, with and without the default port") {
  const auto all = vectors();
  for (const auto& v : all.at("twilio")) {
    INFO(v.at("source").get<std::string>());
    const std::string url = v.at("url");
    const auto query_at = url.find('?');
    auto source = source_of(SourceKind::twilio, {v.at("auth_token")});
    source.public_url = url.substr(0, query_at);
    const bool json_body = v.contains("body");
    std::string form;
    for (const auto& pair : v.at("params")) {
      if (!form.empty()) form += "&";
      form += pair.at(0).get<std::string>() + "=" + pair.at(1).get<std::string>();
    }
    // '+' in a form body is a space: encode it as %2B the way Twilio does.
    std::string encoded;
    for (const char c : form) encoded += c == '+' ? std::string("%2B") : std::string(1, c);
    auto request = json_body ? post(v.at("body")) : post(encoded, "application/x-www-form-urlencoded");
    request.query = url.substr(query_at + 1);
    request.headers.add("X-Twilio-Signature", v.at("X-Twilio-Signature"));
    CHECK(verify_delivery(source, request, now_ms).ok());

    auto wrong_token = source;
    wrong_token.secrets = {"54321"};
    CHECK(code_of(verify_delivery(wrong_token, request, now_ms)) == ErrorCode::bad_signature);
    auto other_query = request;
    other_query.query += "&x=1";
    CHECK(code_of(verify_delivery(source, other_query, now_ms)) == ErrorCode::bad_signature);
  }
}

TEST_CASE("Twilio JSON bodies must match their bodySHA256") {
  const auto v = vectors().at("twilio").at(3);
  const std::string url = v.at("url");
  auto source = source_of(SourceKind::twilio, {v.at("auth_token")});
  source.public_url = url.substr(0, url.find('?'));
  auto request = post(v.at("body").get<std::string>() + " ");
  request.query = url.substr(url.find('?') + 1);
  request.headers.add("X-Twilio-Signature", v.at("X-Twilio-Signature"));
  CHECK(code_of(verify_delivery(source, request, now_ms)) == ErrorCode::bad_signature);
  CHECK(code_of(verify_delivery(source, post("{}"), now_ms)) == ErrorCode::missing_signature);
}

TEST_CASE("Stripe: t and v1 entries, only too-old timestamps refused") {
  const std::string secret = "whsec_test_secret_for_frontdesk";
  const auto source = source_of(SourceKind::stripe, {secret});
  const std::string body = R"({"id":"evt_1","type":"payment_intent.succeeded"})";
  const std::string ts = std::to_string(now_s);
  auto request = post(body);
  request.headers.add("Stripe-Signature",
                      "t=" + ts + ",v1=" + hmac_hex("whsec_other", ts + "." + body) + ",v1=" + hmac_hex(secret, ts + "." + body) + ",v0=abc");
  CHECK(verify_delivery(source, request, now_ms).ok());
  CHECK(code_of(verify_delivery(source, request, now_ms + 301000)) == ErrorCode::stale_timestamp);
  CHECK(verify_delivery(source, request, now_ms - 3600000).ok());  // from the future: Stripe's rule allows it
  for (const auto& header : std::vector<std::string>{"v1=" + hmac_hex(secret, ts + "." + body), "t=" + ts,
                                                     "t=12x,v1=" + hmac_hex(secret, "x"), "nonsense"}) {
    auto malformed = post(body);
    malformed.headers.add("Stripe-Signature", header);
    CHECK(code_of(verify_delivery(source, malformed, now_ms)) == ErrorCode::bad_signature);
  }
}

TEST_CASE("absurdly large timestamps are stale, not an overflow (found by fuzzing)") {
  const auto source = source_of(SourceKind::standard, {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"});
  auto request = post("{}");
  request.headers.add("webhook-id", "msg_1");
  request.headers.add("webhook-timestamp", "999999999999999999999999");
  request.headers.add("webhook-signature", "v1,AAAA");
  CHECK(code_of(verify_delivery(source, request, now_ms)) == ErrorCode::stale_timestamp);
  auto stripe = post("{}");
  stripe.headers.add("Stripe-Signature", "t=99999999999999999999,v1=" + std::string(64, 'a'));
  CHECK(verify_delivery(source_of(SourceKind::stripe, {"s"}), stripe, now_ms).error().code == ErrorCode::bad_signature);
}
