#pragma once
#include "../dispatch.hpp"

namespace frontdesk::routes {

// POST /diagnostics/verify {"scheme":"ed25519","public_key":hex,"message":hex,"signature":hex}
// or {"scheme":"hmac-sha256"|"hmac-sha1","key":hex,"message":hex,"mac":hex} → {"valid":bool}.
// Runs the published vectors (RFC 8032, Wycheproof, RFC 2202/4231) on every target
// through the same crypto the verifiers use. 404 unless the config enables diagnostics.
Task<Response> diagnostics_verify(RequestContext& context);

}  // namespace frontdesk::routes

namespace frontdesk::routes {

// POST /diagnostics/objects/{kind}/{id} with an object message as the body → 200 with the
// object's reply as the body. Lets tests and operators read a ledger (docs/reception.md)
// on every target the same way. 404 unless the config enables diagnostics.
Task<Response> diagnostics_object(RequestContext& context);

}  // namespace frontdesk::routes
