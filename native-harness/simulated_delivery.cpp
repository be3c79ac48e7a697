#include "simulated_delivery.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>

#include "core/crypto/primitives.hpp"
#include "core/crypto/sha1.hpp"
#include "core/encoding.hpp"
#include "core/time.hpp"

namespace frontdesk::native {
namespace {

namespace json = boost::json;

std::string uuid_from(std::string_view random) {
  const auto hex = hex_encode(random.substr(0, 16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

// Telnyx's call.initiated and message.received (API v2), as its documentation shows them.
std::string telnyx_body(const Simulation& s, std::string_view random, const std::string& at) {
  const auto id = uuid_from(random);
  json::object payload;
  std::string type;
  if (s.kind == SimulatedKind::call) {
    type = "call.initiated";
    payload = {{"call_control_id", "v3:simulated-" + hex_encode(random.substr(0, 8))},
               {"call_leg_id", id},
               {"call_session_id", id},
               {"connection_id", "simulated"},
               {"from", s.from},
               {"to", s.to},
               {"direction", "incoming"},
               {"state", "parked"}};
  } else {
    type = "message.received";
    payload = {{"id", id},
               {"record_type", "message"},
               {"direction", "inbound"},
               {"type", "SMS"},
               {"from", json::object{{"phone_number", s.from}, {"carrier", "Simulated"}, {"line_type", "long_code"}}},
               {"to", json::array{json::object{{"phone_number", s.to}, {"status", "webhook_delivered"}}}},
               {"text", s.text},
               {"media", json::array{}},
               {"received_at", at},
               {"parts", 1},
               {"encoding", "GSM-7"}};
  }
  json::object data{{"record_type", "event"}, {"event_type", type}, {"id", id}, {"occurred_at", at},
                    {"payload", std::move(payload)}};
  return json::serialize(json::object{{"data", std::move(data)},
                                      {"meta", json::object{{"attempt", 1}, {"delivered_to", "simulated"}}}});
}

// OpenPhone's (and Quo's) call.ringing and message.received app webhooks.
std::string openphone_body(const Simulation& s, std::string_view random, const std::string& at) {
  const auto hex = hex_encode(random);
  json::object object{{"id", "AC" + hex.substr(0, 24)},
                      {"from", s.from},
                      {"direction", "incoming"},
                      {"createdAt", at},
                      {"userId", "USsimulated"},
                      {"phoneNumberId", "PNsimulated"},
                      {"conversationId", "CNsimulated"}};
  if (s.kind == SimulatedKind::call) {
    object["object"] = "call";
    object["to"] = s.to;
    object["status"] = "ringing";
  } else {
    object["object"] = "message";
    object["to"] = json::array{json::value(s.to)};
    object["body"] = s.text;
    object["media"] = json::array{};
    object["status"] = "received";
  }
  return json::serialize(json::object{{"id", "EV" + hex.substr(0, 32)},
                                      {"object", "event"},
                                      {"apiVersion", "v3"},
                                      {"createdAt", at},
                                      {"type", s.kind == SimulatedKind::call ? "call.ringing" : "message.received"},
                                      {"data", json::object{{"object", std::move(object)}}}});
}

// Twilio's voice request or incoming-message request: a form.
QueryParams twilio_form(const Simulation& s, std::string_view random) {
  const auto hex = hex_encode(random);
  QueryParams form{{"AccountSid", "ACsimulated" + hex.substr(0, 21)}, {"ApiVersion", "2010-04-01"},
                   {"Direction", "inbound"},                       {"From", s.from},
                   {"To", s.to}};
  if (s.kind == SimulatedKind::call) {
    form.push_back({"CallSid", "CA" + hex});
    form.push_back({"CallStatus", "ringing"});
  } else {
    form.push_back({"MessageSid", "SM" + hex});
    form.push_back({"SmsSid", "SM" + hex});
    form.push_back({"SmsStatus", "received"});
    form.push_back({"Body", s.text});
    form.push_back({"NumMedia", "0"});
  }
  return form;
}

Result<std::string> ed25519_signature(std::string_view seed, std::string_view message) {
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Error{ErrorCode::invalid_field, "the Telnyx signing seed must be 32 bytes (run frontdesk dev-env)"};
  }
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key, secret_key, reinterpret_cast<const unsigned char*>(seed.data()));
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_key);
  sodium_memzero(secret_key, sizeof secret_key);
  return std::string(reinterpret_cast<const char*>(signature), sizeof signature);
}

Result<std::string> first_secret(const SourceConfig& source) {
  if (source.secrets.empty()) return Error{ErrorCode::invalid_field, "source " + source.name + " has no secret"};
  return source.secrets.front();
}

}  // namespace

Result<SimulatedRequest> simulated_delivery(const SourceConfig& source, const Simulation& simulation,
                                            const SigningKeys& keys, std::int64_t now_ms, std::string_view random) {
  if (random.size() < 16) return Error{ErrorCode::internal, "simulate needs 16 random bytes"};
  if (!source.problem.empty()) return Error{ErrorCode::invalid_field, "source " + source.name + ": " + source.problem};
  SimulatedRequest request;
  request.path = "/webhooks/" + source.name;
  const auto at = rfc3339_from_ms(now_ms);
  const auto seconds = std::to_string(now_ms / 1000);
  switch (source.kind) {
    case SourceKind::telnyx: {
      request.body = telnyx_body(simulation, random, at);
      auto signature = ed25519_signature(keys.ed25519_seed, seconds + "|" + request.body);
      if (!signature) return signature.error();
      request.headers.add("content-type", "application/json");
      request.headers.add("telnyx-signature-ed25519", base64_encode(*signature));
      request.headers.add("telnyx-timestamp", seconds);
      return request;
    }
    case SourceKind::openphone: {
      auto secret = first_secret(source);
      if (!secret) return secret.error();
      const auto key = base64_decode(*secret);
      if (!key) return Error{ErrorCode::invalid_field, "source " + source.name + ": its secret is not base64"};
      request.body = openphone_body(simulation, random, at);
      const auto millis = std::to_string(now_ms);
      const auto mac = crypto::hmac_sha256(*key, millis + "." + request.body);
      request.headers.add("content-type", "application/json");
      request.headers.add("openphone-signature", "hmac;1;" + millis + ";" + base64_encode(crypto::bytes_of(mac)));
      return request;
    }
    case SourceKind::standard: {
      auto secret = first_secret(source);
      if (!secret) return secret.error();
      const std::string_view text = *secret;
      const auto key = base64_decode(text.starts_with("whsec_") ? text.substr(6) : text);
      if (!key) return Error{ErrorCode::invalid_field, "source " + source.name + ": its secret is not whsec_ base64"};
      request.body = openphone_body(simulation, random, at);
      const auto id = "msg_" + hex_encode(random.substr(0, 12));
      const auto mac = crypto::hmac_sha256(*key, id + "." + seconds + "." + request.body);
      request.headers.add("content-type", "application/json");
      request.headers.add("webhook-id", id);
      request.headers.add("webhook-timestamp", seconds);
      request.headers.add("webhook-signature", "v1," + base64_encode(crypto::bytes_of(mac)));
      return request;
    }
    case SourceKind::twilio: {
      auto secret = first_secret(source);
      if (!secret) return secret.error();
      auto form = twilio_form(simulation, random);
      request.body = form_encode(form);
      std::sort(form.begin(), form.end());
      std::string signed_text = source.public_url;
      for (const auto& [name, value] : form) signed_text.append(name).append(value);
      const auto mac = crypto::hmac_sha1(*secret, signed_text);
      request.headers.add("content-type", "application/x-www-form-urlencoded");
      request.headers.add("x-twilio-signature", base64_encode(crypto::bytes_of(mac)));
      return request;
    }
    case SourceKind::github:
    case SourceKind::stripe:
      break;
  }
  return Error{ErrorCode::invalid_field,
               "source " + source.name + " carries no calls or texts (simulate takes telnyx, openphone, twilio and "
                                         "standard sources)"};
}

}  // namespace frontdesk::native
