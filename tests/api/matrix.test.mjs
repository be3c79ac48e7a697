// Who may call what (docs/api.md "Routes", "Errors and limits"): every route of the table
// answered 401 without a token, 403 to a token holding every scope but the route's, and its
// own status to a token holding exactly the route's scope; and every kind of bad token is the
// same 401. On the native server and the Worker.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import { ALLOWED, BLOCKED, OUR_NUMBER, REGISTERED, freshNumber } from "../scenarios/deliveries.mjs";
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import {
  SCOPES,
  TARGETS,
  allBut,
  apiConfig,
  assertError,
  assertList,
  assertOk,
  assertRateLimitHeaders,
  assertUnauthenticated,
  callIdOf,
  identityIdOf,
  mediaType,
  segment,
  sleep,
  startApiTarget,
  unknownToken,
} from "./api.mjs";

const OPENAPI_FILE = new URL("../../docs/openapi.json", import.meta.url);
const enc = encodeURIComponent;

// A 202 {"id", "status":"queued", …fields}.
function assertQueued(answer, fields) {
  assert.equal(typeof answer.json.id, "string", answer.what);
  assert.ok(answer.json.id.length > 0, answer.what);
  assert.deepEqual(answer.json, { id: answer.json.id, status: "queued", ...fields }, answer.what);
}
const PLACEHOLDERS = { callId: "{id}", identityId: "{id}", adminId: "{id}", victim: { id: "{id}" }, command: { command_id: "{command_id}" } };

// A fresh endpoint (f.endpoint) made with the admin token, for a route about one.
async function createEndpoint(t, f) {
  const body = { url: "https://hooks.example.com/matrix", description: "made for the matrix" };
  const made = await t.api("POST", "/api/v1/endpoints", { token: f.admin, body });
  f.endpoint = made.json;
  return made;
}

// Every scoped route of the table with valid path params and bodies. f: the fixtures made in
// before(); setup(t, f) makes what the route needs (with the admin token) before it is called.
const ROUTES = [
  { method: "GET", path: () => "/api/v1/calls", scope: "calls:read", status: 200, check: assertList },
  { method: "GET", path: () => "/api/v1/outbound", scope: "events:read", status: 200, check: assertList },
  {
    method: "GET",
    path: (f) => `/api/v1/calls/${segment(f.callId)}`,
    scope: "calls:read",
    status: 200,
    check: (a, f) => assert.equal(a.json.id, f.callId, a.what),
  },
  {
    method: "POST",
    path: () => "/api/v1/calls",
    scope: "calls:write",
    status: 202,
    body: (f) => ({ to: f.outboundTo, from: OUR_NUMBER }),
    check: (a, f) => assertQueued(a, { to: f.outboundTo, from: OUR_NUMBER }),
  },
  { method: "GET", path: () => "/api/v1/messages", scope: "messages:read", status: 200, check: assertList },
  {
    method: "POST",
    path: () => "/api/v1/messages",
    scope: "messages:write",
    status: 202,
    body: (f) => ({ to: f.textTo, text: "Matrix test text" }),
    check: (a, f) => assertQueued(a, { to: f.textTo, from: OUR_NUMBER, text: "Matrix test text" }),
  },
  {
    method: "GET",
    path: () => `/api/v1/registry/${enc(REGISTERED)}`,
    scope: "registry:read",
    status: 200,
    check: (a) => assert.deepEqual(a.json, { phone: REGISTERED, namespace: "alice.x" }, a.what),
  },
  {
    method: "PUT",
    path: () => "/api/v1/registry/%2B15555550177",
    scope: "registry:write",
    status: 200,
    body: () => ({ namespace: "matrix.x" }),
    check: (a) => assert.deepEqual(a.json, { phone: "+15555550177", namespace: "matrix.x" }, a.what),
  },
  {
    method: "DELETE",
    path: () => "/api/v1/registry/%2B15555550178",
    scope: "registry:write",
    status: 204,
    setup: (t, f) => t.api("PUT", "/api/v1/registry/%2B15555550178", { token: f.admin, body: { namespace: "gone.x" } }),
  },
  ...["allow", "block"].flatMap((list, i) => {
    const seeded = list === "allow" ? ALLOWED : BLOCKED;
    const put = `+1555555018${i}`;
    const removed = `+1555555019${i}`;
    return [
      {
        method: "GET",
        path: () => `/api/v1/lists/${list}/${enc(seeded)}`,
        scope: "registry:read",
        status: 200,
        check: (a) => assert.deepEqual(a.json, { list, phone: seeded }, a.what),
      },
      {
        method: "PUT",
        path: () => `/api/v1/lists/${list}/${enc(put)}`,
        scope: "registry:write",
        status: 200,
        check: (a) => assert.deepEqual(a.json, { list, phone: put }, a.what),
      },
      {
        method: "DELETE",
        path: () => `/api/v1/lists/${list}/${enc(removed)}`,
        scope: "registry:write",
        status: 204,
        setup: (t, f) => t.api("PUT", `/api/v1/lists/${list}/${enc(removed)}`, { token: f.admin }),
      },
    ];
  }),
  {
    method: "GET",
    path: (f) => `/api/v1/identities/${segment(f.identityId)}`,
    scope: "registry:read",
    status: 200,
    check: (a, f) => assert.equal(a.json.id, f.identityId, a.what),
  },
  { method: "GET", path: () => "/api/v1/events", scope: "events:read", status: 200, check: assertList },
  { method: "GET", path: () => "/api/v1/registry", scope: "registry:read", status: 200, check: assertList },
  { method: "GET", path: () => "/api/v1/lists/block", scope: "registry:read", status: 200, check: assertList },
  {
    method: "GET",
    path: () => "/api/v1/stats",
    scope: "events:read",
    status: 200,
    check: (a) => assert.equal(a.json.calls.length, a.json.texts.length, a.what),
  },
  {
    method: "GET",
    path: () => "/api/v1/metrics",
    scope: "metrics:read",
    status: 200,
    text: true,
    check: (a) => assert.match(a.text, /^# TYPE frontdesk_calls_total counter$/m, a.what),
  },
  {
    method: "POST",
    path: (f) => `/api/v1/outbound/${enc(f.command.command_id)}/retry`,
    scope: "outbound:write",
    status: 202,
    // A command the provider keeps refusing (503): pending or dead when retried, never
    // delivered (that would be 409).
    setup: async (t, f) => {
      f.fake.setMode("down");
      const sent = await t.api("POST", "/api/v1/messages", { token: f.admin, body: { to: f.retryTo, text: "matrix retry" } });
      const listed = await t.api("GET", "/api/v1/outbound", { token: f.admin });
      f.command = listed.json.data.find((c) => c.body.includes(f.retryTo));
      assert.ok(f.command, listed.what);
      return sent;
    },
    check: (a, f) => {
      f.fake.setMode("up");
      assert.equal(a.json.command_id, f.command.command_id, a.what);
      assert.equal(a.json.status, "pending", a.what);
    },
  },
  {
    method: "POST",
    path: () => "/api/v1/endpoints",
    scope: "endpoints:write",
    status: 201,
    body: () => ({ url: "https://hooks.example.com/frontdesk", events: ["call.screened"] }),
    check: (a) => {
      assert.match(a.json.id ?? "", /^ep_[0-9a-f]+$/, a.what);
      assert.match(a.json.secret ?? "", /^whsec_[A-Za-z0-9+/]{32}$/, a.what);
      assert.deepEqual(a.json.events, ["call.screened"], a.what);
    },
  },
  { method: "GET", path: () => "/api/v1/endpoints", scope: "endpoints:read", status: 200, check: assertList },
  ...[
    ["GET", "", "endpoints:read", 200],
    ["PATCH", "", "endpoints:write", 200],
    ["GET", "/secret", "endpoints:write", 200],
    ["POST", "/secret/rotate", "endpoints:write", 200],
    ["POST", "/test", "endpoints:write", 202],
    ["POST", "/replay", "endpoints:write", 202],
    ["DELETE", "", "endpoints:write", 204],
  ].map(([method, tail, scope, status]) => ({
    method,
    path: (f) => `/api/v1/endpoints/${f.endpoint?.id ?? "{id}"}${tail}`,
    scope,
    status,
    ...(method === "PATCH" ? { body: () => ({ description: "edited by the matrix" }) } : {}),
    ...(tail === "/replay" ? { body: () => ({ since: "2026-01-01T00:00:00Z" }) } : {}),
    setup: (t, f) => createEndpoint(t, f),
    check: (a, f) => {
      if (status === 204) return;
      if (tail === "/test") assert.equal(a.json.event_type, "frontdesk.test", a.what);
      else if (tail === "/replay") assert.ok(Number.isInteger(a.json.replayed), a.what);
      else if (tail) assert.match(a.json.secret ?? "", /^whsec_/, a.what);
      else assert.equal(a.json.id, f.endpoint.id, a.what);
    },
  })),
  { method: "GET", path: () => "/api/v1/deliveries", scope: "endpoints:read", status: 200, check: assertList },
  {
    method: "POST",
    path: (f) => `/api/v1/deliveries/${f.delivery ?? "{id}"}/retry`,
    scope: "endpoints:write",
    status: 202,
    setup: async (t, f) => {
      await createEndpoint(t, f);
      const test = await t.api("POST", `/api/v1/endpoints/${f.endpoint.id}/test`, { token: f.admin });
      f.delivery = test.json?.id;
      return test;
    },
    check: (a, f) => {
      assert.equal(a.json.id, f.delivery, a.what);
      assert.equal(a.json.status, "pending", a.what);
    },
  },
  { method: "GET", path: () => "/api/v1/audit", scope: "audit:read", status: 200, check: assertList },
  {
    method: "GET",
    path: () => "/api/v1/audit/verify",
    scope: "audit:read",
    status: 200,
    check: (a) => {
      assert.equal(a.json.ok, true, a.what);
      assert.ok(Number.isInteger(a.json.entries), a.what);
    },
  },
  {
    method: "POST",
    path: () => "/api/v1/tokens",
    scope: "tokens:admin",
    status: 201,
    body: () => ({ name: "minted by an admin token", scopes: ["calls:read"] }),
    check: (a) => {
      assert.match(a.json.token ?? "", /^fd_[0-9A-Za-z]{40}$/, a.what);
      assert.equal(a.json.tenant, "acme", a.what);
      assert.deepEqual(a.json.scopes, ["calls:read"], a.what);
    },
  },
  { method: "GET", path: () => "/api/v1/tokens", scope: "tokens:admin", status: 200, check: assertList },
  {
    method: "GET",
    path: (f) => `/api/v1/tokens/${f.adminId}`,
    scope: "tokens:admin",
    status: 200,
    check: (a, f) => assert.equal(a.json.id, f.adminId, a.what),
  },
  {
    method: "DELETE",
    path: (f) => `/api/v1/tokens/${f.victim.id}`,
    scope: "tokens:admin",
    status: 200,
    setup: async (t, f) => {
      f.victim = await t.mint({ name: "to be revoked", scopes: ["calls:read"] });
    },
    check: (a, f) => {
      assert.equal(a.json.id, f.victim.id, a.what);
      assert.equal(typeof a.json.revoked_at, "string", a.what);
    },
  },
];

for (const kind of TARGETS) {
  describe(`${kind}: API route × token matrix`, () => {
    let fake;
    let t;
    const f = {};
    const without = {}; // scope → a token holding every scope but it
    const exactly = {}; // scope → a token holding only it
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url }) });
      const admin = await t.mint({ name: "admin", scopes: SCOPES });
      f.admin = admin.token;
      f.adminId = admin.id;
      for (const scope of SCOPES) {
        without[scope] = (await t.mint({ name: `all but ${scope}`, scopes: allBut(scope) })).token;
        exactly[scope] = (await t.mint({ name: `only ${scope}`, scopes: [scope] })).token;
      }
      const ccid = await t.call({ from: REGISTERED });
      f.callId = await callIdOf(t, f.admin, ccid);
      f.identityId = (await identityIdOf(t, f.admin, f.callId, REGISTERED)).id;
      f.outboundTo = freshNumber();
      f.textTo = freshNumber();
      f.retryTo = freshNumber();
      f.fake = fake;
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    it("serves GET /api/v1/openapi.json without a token: 200, the OpenAPI 3.1 document kept in docs/openapi.json", async () => {
      const answer = await t.api("GET", "/api/v1/openapi.json");
      assert.equal(answer.status, 200, answer.what);
      assert.equal(mediaType(answer), "application/json", answer.what);
      assert.match(String(answer.json?.openapi), /^3\.1\./, answer.what);
      assert.ok(existsSync(OPENAPI_FILE), "docs/openapi.json exists");
      assert.deepEqual(answer.json, JSON.parse(readFileSync(OPENAPI_FILE, "utf8")), "the served document is docs/openapi.json");
    });

    for (const route of ROUTES) {
      it(`${route.method} ${decodeURIComponent(route.path(PLACEHOLDERS))}: 401 without a token, 403 without ${route.scope}, ${route.status} with only ${route.scope}`, async () => {
        if (route.setup) {
          const made = await route.setup(t, f);
          if (made?.status !== undefined) assert.ok(made.status >= 200 && made.status < 300, made.what);
        }
        const send = (token) =>
          t.api(route.method, route.path(f), { token, ...(route.body ? { body: route.body(f) } : {}) });
        assertUnauthenticated(await send(undefined));
        const refused = await send(without[route.scope]);
        assertError(refused, 403, "forbidden");
        const answer = await send(exactly[route.scope]);
        if (route.text) {
          assert.equal(answer.status, route.status, answer.what);
          assertRateLimitHeaders(answer);
        } else {
          assertOk(answer, route.status);
        }
        route.check?.(answer, f);
      });
    }

    it("POST /api/v1/tokens/delegate: 401 without a token, 201 for any valid token (a subset of its scopes)", async () => {
      const body = { name: "delegated", scopes: ["calls:read"] };
      assertUnauthenticated(await t.api("POST", "/api/v1/tokens/delegate", { body }));
      const answer = await t.api("POST", "/api/v1/tokens/delegate", { token: exactly["calls:read"], body });
      assertOk(answer, 201);
      assert.match(answer.json.token ?? "", /^fd_[0-9A-Za-z]{40}$/, answer.what);
      assert.deepEqual(answer.json.scopes, ["calls:read"], answer.what);
    });

    it("answers every malformed, unknown or wrong-scheme Authorization with the same 401", async () => {
      const bad = [
        "Bearer",
        "Bearer ",
        "Basic x",
        "Bearer fd_short",
        `Bearer ${unknownToken()}`,
        `Bearer ${f.admin}x`,
        `Bearer ${f.admin.slice(0, -1)}`,
        `Token ${f.admin}`,
        f.admin,
      ];
      for (const authorization of bad) {
        for (const [method, path] of [
          ["GET", "/api/v1/calls"],
          ["GET", "/api/v1/tokens"],
        ]) {
          assertUnauthenticated(await t.api(method, path, { authorization }));
        }
      }
      assertOk(await t.api("GET", "/api/v1/calls", { token: f.admin }), 200);
    });

    it("answers an expired token (expires_in: 1) with the same 401", async () => {
      const short = await t.mint({ name: "short-lived", scopes: SCOPES, expires_in: 1 });
      assert.equal(typeof short.expires_at, "string", "a token with expires_in has an expires_at");
      const lifetime = Date.parse(short.expires_at) - Date.parse(short.created_at);
      assert.ok(lifetime >= 0 && lifetime <= 2000, `expires_at is created_at + 1 s: ${JSON.stringify(short)}`);
      // 2.1 s, not 1.5: a clock of whole seconds may see the token as live until a second after expires_at.
      await sleep(2100);
      assertUnauthenticated(await t.api("GET", "/api/v1/calls", { token: short.token }));
      assertUnauthenticated(await t.api("POST", "/api/v1/tokens/delegate", { token: short.token, body: { name: "x", scopes: ["calls:read"] } }));
    });

    it("answers a revoked token with the same 401", async () => {
      const doomed = await t.mint({ name: "doomed", scopes: SCOPES });
      assertOk(await t.api("GET", "/api/v1/calls", { token: doomed.token }), 200);
      assertOk(await t.api("DELETE", `/api/v1/tokens/${doomed.id}`, { token: f.admin }), 200);
      assertUnauthenticated(await t.api("GET", "/api/v1/calls", { token: doomed.token }));
      assertUnauthenticated(await t.api("POST", "/api/v1/tokens/delegate", { token: doomed.token, body: { name: "x", scopes: ["calls:read"] } }));
    });
  });
}
