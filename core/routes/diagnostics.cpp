#include "diagnostics.hpp"

#include <boost/json.hpp>

#include "../crypto/primitives.hpp"
#include "../crypto/sha1.hpp"
#include "../encoding.hpp"
#include "../json.hpp"
#include "../normalize/fields.hpp"

namespace frontdesk::routes {
namespace json = boost::json;

Task<Response> diagnostics_verify(RequestContext& context) {
  if (!context.app.settings().diagnostics) {
    co_return error_response(ErrorCode::not_found, "No route for POST " + context.request.path);
  }
  auto body = normalize::parse_object(context.request.body);
  if (!body) co_return error_response(body.error());
  const auto field = [&](std::string_view name) { return hex_decode(normalize::text_at(*body, {name})); };
  const auto scheme = normalize::text_at(*body, {"scheme"});
  const auto message = field("message");
  if (!message) co_return error_response(ErrorCode::invalid_field, "message must be hex");
  bool valid = false;
  if (scheme == "ed25519") {
    const auto key = field("public_key");
    const auto signature = field("signature");
    // Undecodable hex is simply an invalid signature, as Wycheproof expects.
    valid = key && signature && crypto::ed25519_verify(*key, *message, *signature);
  } else if (scheme == "hmac-sha256" || scheme == "hmac-sha1") {
    const auto key = field("key");
    const auto mac = field("mac");
    if (!key || !mac) co_return error_response(ErrorCode::invalid_field, "key and mac must be hex");
    valid = scheme == "hmac-sha256"
                ? crypto::constant_time_equal(crypto::bytes_of(crypto::hmac_sha256(*key, *message)), *mac)
                : crypto::constant_time_equal(crypto::bytes_of(crypto::hmac_sha1(*key, *message)), *mac);
  } else {
    co_return error_response(ErrorCode::invalid_field, "scheme must be ed25519, hmac-sha256 or hmac-sha1");
  }
  co_return json_response(200, json::object{{"valid", valid}});
}

}  // namespace frontdesk::routes
