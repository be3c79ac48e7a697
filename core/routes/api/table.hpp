#pragma once
#include <span>

#include "api.hpp"

namespace frontdesk::routes::api {

// Every API route with its scope (table.cpp), in matching order.
std::span<const Route<Endpoint>> api_routes();

}  // namespace frontdesk::routes::api
