// GET /api/v1/openapi.json: docs/openapi.json, compiled in so every target serves the same bytes.
#include "generated/openapi_document.hpp"
#include "support.hpp"

namespace frontdesk::routes::api {

Task<Response> openapi_document(ApiContext&) {
  Response response;
  response.headers.add("content-type", "application/json");
  response.body.assign(reinterpret_cast<const char*>(generated::openapi_bytes), sizeof generated::openapi_bytes);
  co_return response;
}

}  // namespace frontdesk::routes::api
