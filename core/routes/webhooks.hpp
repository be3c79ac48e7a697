#pragma once
#include "../dispatch.hpp"

namespace frontdesk::routes {

// POST /webhooks/{source}: verify → parse → dedupe and record → 200 (SPEC's order).
Task<Response> webhook(RequestContext& context);

}  // namespace frontdesk::routes
