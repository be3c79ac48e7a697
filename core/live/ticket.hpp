#pragma once
// Tickets for the console's live WebSocket (GET /api/v1/live?ticket=…): short-lived,
// single-use, and naming their tenant so a host knows which ledger to take the socket to
// without any lookup: "lt_" + the tenant in hex + "_" + 32 random hex digits. Only the
// ticket's SHA-256 is stored, in the tenant's ledger.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../api/scopes.hpp"

namespace frontdesk::live {

inline constexpr std::string_view path = "/api/v1/live";
inline constexpr std::int64_t ticket_lifetime_ms = 60'000;

std::string ticket_for(std::string_view tenant, std::string_view random16);
// The tenant a ticket names; nullopt when it is not a ticket's form.
std::optional<std::string> ticket_tenant(std::string_view ticket);

// The event types a token's socket may see: call.* with calls:read, message.* with
// messages:read, registry.changed with registry:read, outbound.dead and webhook.received
// with events:read, frontdesk.test with endpoints:read.
std::vector<std::string> visible_types(const api::Scopes& scopes);

}  // namespace frontdesk::live
