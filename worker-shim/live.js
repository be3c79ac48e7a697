// The console's live WebSocket at the edge (GET /api/v1/live?ticket=…, docs/api.md "Live
// updates"): the Worker takes the upgrade to the tenant's ledger, the Durable Object that
// the ticket names, which accepts it as a hibernatable WebSocket once its core took the
// ticket. The ledger's committed calls then publish their events to it (object.js).
import { objectName } from "./edge-backend.js";

export const LIVE_PATH = "/api/v1/live";

const UNAUTHENTICATED = { error: { code: "unauthenticated", message: "a valid live ticket is required" } };
export const refuseLive = () => Response.json(UNAUTHENTICATED, { status: 401 });

// "lt_" + the tenant in hex + "_" + 32 hex digits (core/live/ticket.hpp) → the tenant, or null.
export function ticketTenant(ticket) {
  const match = /^lt_((?:[0-9a-f]{2})+)_[0-9a-f]{32}$/.exec(ticket ?? "");
  if (!match) return null;
  const bytes = new Uint8Array(match[1].match(/../g).map((pair) => parseInt(pair, 16)));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const configuredTenants = new Map();
// The tenants the configuration names (parsed once per isolate and document): a made-up
// ticket must not create a Durable Object.
function tenantsOf(env) {
  const document = env.FRONTDESK_CONFIG ?? "";
  if (!configuredTenants.has(document)) {
    let tenants = new Set();
    try {
      tenants = new Set(Object.keys(JSON.parse(document).tenants ?? {}));
    } catch {
      // An unreadable configuration: the core answers every request with the reason.
    }
    configuredTenants.set(document, tenants);
  }
  return configuredTenants.get(document);
}

// The header first: a webhook's request never parses its URL here.
export function isLiveUpgrade(request) {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket" && new URL(request.url).pathname === LIVE_PATH;
}

export async function forwardLive(request, env) {
  const url = new URL(request.url);
  const ticket = url.searchParams.get("ticket") ?? "";
  const tenant = ticketTenant(ticket);
  if (!tenant || !tenantsOf(env).has(tenant)) return refuseLive();
  const stub = env.OBJECTS.get(env.OBJECTS.idFromName(objectName("ledger", tenant)));
  const target = new URL("https://frontdesk.object/live");
  target.searchParams.set("ticket", ticket);
  target.searchParams.set("tenant", tenant);
  return stub.fetch(new Request(target, request));
}
