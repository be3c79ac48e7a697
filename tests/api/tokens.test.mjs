// Tokens (docs/api.md "Tokens", "Writes"): the plaintext is shown once and never again, a
// revocation holds from the very next request, delegation only ever narrows, and the
// bootstrap secret only mints. On the native server and the Worker.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";

import { REGISTERED } from "../scenarios/deliveries.mjs";
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import {
  BOOTSTRAP_TOKEN,
  SCOPES,
  TARGETS,
  apiConfig,
  assertError,
  assertOk,
  assertUnauthenticated,
  allPages,
  startApiTarget,
} from "./api.mjs";

const TOKEN_FIELDS = ["id", "tenant", "name", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at", "rate_limit"];
const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const sorted = (list) => [...list].sort();

// Every key of a JSON value, however deep.
const keysOf = (value) =>
  value && typeof value === "object"
    ? Object.entries(value).flatMap(([key, inner]) => [...(Array.isArray(value) ? [] : [key]), ...keysOf(inner)])
    : [];

// A stored token as the API shows it: every field, neither the plaintext nor any hash.
function assertShown(token, plaintexts, what) {
  for (const field of TOKEN_FIELDS) assert.ok(field in token, `${field} in ${what}: ${JSON.stringify(token)}`);
  assert.equal("token" in token, false, `no plaintext in ${what}`);
  const text = JSON.stringify(token);
  for (const plain of plaintexts) {
    assert.equal(text.includes(plain), false, `${what} holds a plaintext`);
    assert.equal(text.includes(sha256(plain)), false, `${what} holds a token's SHA-256`);
  }
  const hashy = keysOf(token).filter((key) => /hash|sha|secret/i.test(key));
  assert.deepEqual(hashy, [], `${what} names no hash`);
}

for (const kind of TARGETS) {
  describe(`${kind}: API tokens`, () => {
    let fake;
    let t;
    let admin;
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url }) });
      admin = await t.mint({ name: "admin", scopes: SCOPES });
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    it("creates a token: 201 with fd_ + 40 base62 shown once, tok_ + 16 hex id; listing and reading never show it or a hash", async () => {
      const created = await t.api("POST", "/api/v1/tokens", {
        token: BOOTSTRAP_TOKEN,
        body: { tenant: "acme", name: "reader", scopes: ["calls:read", "registry:read"] },
      });
      assert.equal(created.status, 201, created.what);
      const made = created.json;
      assert.match(made.token, /^fd_[0-9A-Za-z]{40}$/);
      assert.match(made.id, /^tok_[0-9a-f]{16}$/);
      assert.equal(made.tenant, "acme");
      assert.equal(made.name, "reader");
      assert.deepEqual(sorted(made.scopes), ["calls:read", "registry:read"]);
      assert.ok(!Number.isNaN(Date.parse(made.created_at)), `created_at is a time: ${made.created_at}`);
      assert.equal(made.expires_at, null, "no expires_in: no expiry");

      const another = await t.mint({ name: "another", scopes: ["calls:read"] });
      assert.notEqual(another.token, made.token);
      assert.notEqual(another.id, made.id);

      assertOk(await t.api("GET", "/api/v1/calls", { token: made.token }), 200);
      const plaintexts = [made.token, another.token, admin.token];
      const { items } = await allPages(t, "/api/v1/tokens", admin.token);
      for (const token of items) assertShown(token, plaintexts, `GET /api/v1/tokens item ${token.id}`);
      const ids = items.map((token) => token.id);
      for (const id of [admin.id, made.id, another.id]) assert.ok(ids.includes(id), `${id} is listed`);

      const one = await t.api("GET", `/api/v1/tokens/${made.id}`, { token: admin.token });
      assertOk(one, 200);
      assertShown(one.json, plaintexts, "GET /api/v1/tokens/{id}");
      assert.equal(one.json.id, made.id);
      assert.equal(one.json.revoked_at, null);
      assert.equal(typeof one.json.last_used_at, "string", "used once: last_used_at is set");
    });

    it("revokes a token on the very next request: 200 with revoked_at, then 401 for it (each time, warm or not)", async () => {
      for (let round = 0; round < 3; round++) {
        const victim = await t.mint({ name: `victim ${round}`, scopes: ["calls:read"] });
        for (let use = 0; use < round * 2; use++) assertOk(await t.api("GET", "/api/v1/calls", { token: victim.token }), 200);
        const revoked = await t.api("DELETE", `/api/v1/tokens/${victim.id}`, { token: admin.token });
        assertOk(revoked, 200);
        assert.equal(revoked.json.id, victim.id);
        assert.equal(typeof revoked.json.revoked_at, "string");
        assertShown(revoked.json, [victim.token], "DELETE /api/v1/tokens/{id}");
        assertUnauthenticated(await t.api("GET", "/api/v1/calls", { token: victim.token }));
        const shown = await t.api("GET", `/api/v1/tokens/${victim.id}`, { token: admin.token });
        assertOk(shown, 200);
        assert.equal(shown.json.revoked_at, revoked.json.revoked_at);
      }
    });

    it("lets a token revoke itself: its next request is 401", async () => {
      const self = await t.mint({ name: "self", scopes: ["tokens:admin"] });
      assertOk(await t.api("DELETE", `/api/v1/tokens/${self.id}`, { token: self.token }), 200);
      assertUnauthenticated(await t.api("GET", "/api/v1/tokens", { token: self.token }));
    });

    it("keeps tenants apart: another tenant's token is 404 to read or revoke, and absent from the list", async () => {
      const theirs = await t.mint({ tenant: "globex", name: "globex reader", scopes: ["calls:read"] });
      assert.equal(theirs.tenant, "globex");
      assertError(await t.api("GET", `/api/v1/tokens/${theirs.id}`, { token: admin.token }), 404, "not_found");
      assertError(await t.api("DELETE", `/api/v1/tokens/${theirs.id}`, { token: admin.token }), 404, "not_found");
      assertOk(await t.api("GET", "/api/v1/calls", { token: theirs.token }), 200);
      const { items } = await allPages(t, "/api/v1/tokens", admin.token);
      assert.equal(items.some((token) => token.id === theirs.id), false);
      assert.ok(items.every((token) => token.tenant === "acme"));
      assertError(await t.api("GET", "/api/v1/tokens/tok_0000000000000000", { token: admin.token }), 404, "not_found");
    });

    it("delegates a subset: exactly the scopes asked, never outliving the caller", async () => {
      const parent = await t.mint({ name: "parent", scopes: ["calls:read", "messages:read", "registry:read"], expires_in: 3600 });
      const delegate = (body) => t.api("POST", "/api/v1/tokens/delegate", { token: parent.token, body });
      const limit = Date.parse(parent.expires_at);

      const child = await delegate({ name: "child", scopes: ["calls:read", "registry:read"] });
      assertOk(child, 201);
      assert.match(child.json.token, /^fd_[0-9A-Za-z]{40}$/);
      assert.equal(child.json.tenant, "acme");
      assert.deepEqual(sorted(child.json.scopes), ["calls:read", "registry:read"]);
      assert.ok(child.json.expires_at !== null && Date.parse(child.json.expires_at) <= limit, child.what);
      assertOk(await t.api("GET", "/api/v1/calls", { token: child.json.token }), 200);
      assertOk(await t.api("GET", `/api/v1/registry/${encodeURIComponent(REGISTERED)}`, { token: child.json.token }), 200);
      assertError(await t.api("GET", "/api/v1/messages", { token: child.json.token }), 403, "forbidden");

      const longer = await delegate({ name: "longer", scopes: ["messages:read"], expires_in: 86400 });
      assertOk(longer, 201);
      assert.deepEqual(longer.json.scopes, ["messages:read"]);
      assert.ok(longer.json.expires_at !== null && Date.parse(longer.json.expires_at) <= limit, longer.what);
    });

    it("refuses to delegate what the caller lacks: 403 forbidden (tokens:admin and platform only from a caller holding them)", async () => {
      const parent = await t.mint({ name: "narrow", scopes: ["calls:read"] });
      const delegate = (token, scopes) => t.api("POST", "/api/v1/tokens/delegate", { token, body: { name: "wider", scopes } });
      assertError(await delegate(parent.token, ["messages:write"]), 403, "forbidden");
      assertError(await delegate(parent.token, ["calls:read", "audit:read"]), 403, "forbidden");
      assertError(await delegate(parent.token, ["tokens:admin"]), 403, "forbidden");
      assertError(await delegate(parent.token, ["platform"]), 403, "forbidden");

      const tokenAdmin = await t.mint({ name: "token admin", scopes: ["tokens:admin", "calls:read"] });
      const kept = await delegate(tokenAdmin.token, ["tokens:admin"]);
      assertOk(kept, 201);
      assert.deepEqual(kept.json.scopes, ["tokens:admin"]);
      assertError(await delegate(tokenAdmin.token, ["platform"]), 403, "forbidden");
    });

    it("lets the bootstrap secret mint for any tenant and do nothing else (403 forbidden)", async () => {
      const theirs = await t.mint({ tenant: "globex", name: "globex admin", scopes: ["tokens:admin"] });
      assert.equal(theirs.tenant, "globex");
      assertError(await t.api("GET", "/api/v1/calls", { token: BOOTSTRAP_TOKEN }), 403, "forbidden");
      assertError(await t.api("GET", "/api/v1/tokens", { token: BOOTSTRAP_TOKEN }), 403, "forbidden");
      const delegated = await t.api("POST", "/api/v1/tokens/delegate", {
        token: BOOTSTRAP_TOKEN,
        body: { name: "x", scopes: ["calls:read"] },
      });
      assertError(delegated, 403, "forbidden");
      assertUnauthenticated(
        await t.api("POST", "/api/v1/tokens", {
          token: `${BOOTSTRAP_TOKEN}-not`,
          body: { tenant: "acme", name: "x", scopes: ["calls:read"] },
        }),
      );
    });

    it("answers 422 invalid_field naming the field for a bad scope or a missing tenant with the bootstrap secret", async () => {
      const bad = await t.api("POST", "/api/v1/tokens", {
        token: BOOTSTRAP_TOKEN,
        body: { tenant: "acme", name: "x", scopes: ["calls:delete"] },
      });
      assertError(bad, 422, "invalid_field");
      assert.match(bad.json.error.message, /^scopes/);
      const noTenant = await t.api("POST", "/api/v1/tokens", { token: BOOTSTRAP_TOKEN, body: { name: "x", scopes: ["calls:read"] } });
      assertError(noTenant, 422, "invalid_field");
      assert.match(noTenant.json.error.message, /^tenant/);
      const notJson = await t.api("POST", "/api/v1/tokens", { token: admin.token, body: '{"name": "x", "scopes": ["calls:read"' });
      assertError(notJson, 400, "malformed_body");
    });
  });
}
