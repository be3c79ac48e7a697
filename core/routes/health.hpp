#pragma once
#include "../dispatch.hpp"

namespace frontdesk::routes {

// GET /health and GET /health?deep=1 (SPEC "Health and the command line").
Task<Response> health(RequestContext& context);

}  // namespace frontdesk::routes
