// The API's routes and the scope each one needs: the one place that says who may do what.
#include <array>

#include "table.hpp"

namespace frontdesk::routes::api {
namespace {

constexpr std::array<Route<Endpoint>, 40> table{{
    {"GET", "/api/v1/openapi.json", {public_scope, &openapi_document}},
    {"GET", "/api/v1/calls", {"calls:read", &list_calls}},
    {"POST", "/api/v1/calls", {"calls:write", &place_call}},
    {"GET", "/api/v1/calls/{id}", {"calls:read", &get_call}},
    {"GET", "/api/v1/messages", {"messages:read", &list_messages}},
    {"POST", "/api/v1/messages", {"messages:write", &send_message}},
    {"GET", "/api/v1/messages/{id}", {"messages:read", &get_message}},
    {"GET", "/api/v1/registry", {"registry:read", &list_registry}},
    {"GET", "/api/v1/registry/{phone}", {"registry:read", &get_registry}},
    {"PUT", "/api/v1/registry/{phone}", {"registry:write", &put_registry}},
    {"DELETE", "/api/v1/registry/{phone}", {"registry:write", &delete_registry}},
    {"GET", "/api/v1/lists/{list}", {"registry:read", &list_entries}},
    {"GET", "/api/v1/lists/{list}/{phone}", {"registry:read", &get_list_entry}},
    {"PUT", "/api/v1/lists/{list}/{phone}", {"registry:write", &put_list_entry}},
    {"DELETE", "/api/v1/lists/{list}/{phone}", {"registry:write", &delete_list_entry}},
    {"GET", "/api/v1/identities/{id}", {"registry:read", &get_identity}},
    {"GET", "/api/v1/events", {"events:read", &list_events}},
    {"GET", "/api/v1/outbound", {"events:read", &list_outbound}},
    {"POST", "/api/v1/outbound/{command_id}/retry", {"outbound:write", &retry_outbound}},
    {"POST", "/api/v1/endpoints", {"endpoints:write", &create_endpoint}},
    {"GET", "/api/v1/endpoints", {"endpoints:read", &list_endpoints}},
    {"GET", "/api/v1/endpoints/{id}", {"endpoints:read", &get_endpoint}},
    {"PATCH", "/api/v1/endpoints/{id}", {"endpoints:write", &update_endpoint}},
    {"DELETE", "/api/v1/endpoints/{id}", {"endpoints:write", &delete_endpoint}},
    {"GET", "/api/v1/endpoints/{id}/secret", {"endpoints:write", &get_endpoint_secret}},
    {"POST", "/api/v1/endpoints/{id}/secret/rotate", {"endpoints:write", &rotate_endpoint_secret}},
    {"POST", "/api/v1/endpoints/{id}/test", {"endpoints:write", &test_endpoint}},
    {"POST", "/api/v1/endpoints/{id}/replay", {"endpoints:write", &replay_endpoint}},
    {"GET", "/api/v1/deliveries", {"endpoints:read", &list_deliveries}},
    {"POST", "/api/v1/deliveries/{id}/retry", {"endpoints:write", &retry_delivery}},
    {"GET", "/api/v1/stats", {"events:read", &get_stats}},
    {"GET", "/api/v1/metrics", {"metrics:read", &get_metrics}},
    {"GET", "/api/v1/audit", {"audit:read", &list_audit}},
    {"GET", "/api/v1/audit/verify", {"audit:read", &verify_audit}},
    {"POST", "/api/v1/tokens/delegate", {"", &delegate_token}},
    {"POST", "/api/v1/live/tickets", {"", &create_live_ticket}},
    {"POST", "/api/v1/tokens", {"tokens:admin", &create_token}},
    {"GET", "/api/v1/tokens", {"tokens:admin", &list_tokens}},
    {"GET", "/api/v1/tokens/{id}", {"tokens:admin", &get_token}},
    {"DELETE", "/api/v1/tokens/{id}", {"tokens:admin", &revoke_token}},
}};

}  // namespace

std::span<const Route<Endpoint>> api_routes() { return table; }

}  // namespace frontdesk::routes::api
