// Platform mode (docs/api.md "Scopes"): a token holding `platform` acts for a user of its
// tenant with X-User-Id, X-Org-Id and X-User-Role, and the role's scopes replace its own;
// from any other token those headers change nothing. On the native server and the Worker.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { REGISTERED, freshNumber } from "../scenarios/deliveries.mjs";
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import { TARGETS, apiConfig, assertError, assertOk, startApiTarget } from "./api.mjs";

const user = (role) => ({ "x-user-id": "user-42", "x-org-id": "org-7", "x-user-role": role });
const registryPath = "/api/v1/registry/%2B15555550155";

for (const kind of TARGETS) {
  describe(`${kind}: API platform mode`, () => {
    let fake;
    let t;
    let platform;
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url }) });
      platform = (await t.mint({ name: "platform", scopes: ["platform"] })).token;
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    const as = (token, headers) => ({
      calls: () => t.api("GET", "/api/v1/calls", { token, headers }),
      putRegistry: () => t.api("PUT", registryPath, { token, headers, body: { namespace: "platform.x" } }),
      message: () => t.api("POST", "/api/v1/messages", { token, headers, body: { to: freshNumber(), text: "From an agent" } }),
      audit: () => t.api("GET", "/api/v1/audit", { token, headers }),
      tokens: () => t.api("GET", "/api/v1/tokens", { token, headers }),
    });

    it("viewer: may read calls (200) but not write the registry (403 forbidden)", async () => {
      const viewer = as(platform, user("viewer"));
      assertOk(await viewer.calls(), 200);
      assertOk(await viewer.audit(), 200);
      assertError(await viewer.putRegistry(), 403, "forbidden");
      assertError(await viewer.message(), 403, "forbidden");
    });

    it("agent: may send a message (202) but not read the audit (403 forbidden)", async () => {
      const agent = as(platform, user("agent"));
      const sent = await agent.message();
      assertOk(sent, 202);
      assert.equal(sent.json.status, "queued", sent.what);
      assertOk(await agent.calls(), 200);
      assertError(await agent.audit(), 403, "forbidden");
      assertError(await agent.putRegistry(), 403, "forbidden");
    });

    it("supervisor and admin: supervisor writes the registry but is no token admin; admin is", async () => {
      const supervisor = as(platform, user("supervisor"));
      assertOk(await supervisor.putRegistry(), 200);
      assertError(await supervisor.tokens(), 403, "forbidden");
      assertOk(await as(platform, user("admin")).tokens(), 200);
    });

    it("an unknown role has no scopes; no X-User-Role means the token's own scopes", async () => {
      assertError(await as(platform, user("janitor")).calls(), 403, "forbidden");
      assertError(await as(platform, {}).calls(), 403, "forbidden");
      const both = (await t.mint({ name: "platform reader", scopes: ["platform", "calls:read"] })).token;
      assertOk(await as(both, {}).calls(), 200);
      assertError(await as(both, {}).audit(), 403, "forbidden");
    });

    it("ignores X-User-* headers from a token without platform: its own scopes apply", async () => {
      const writer = (await t.mint({ name: "registry writer", scopes: ["registry:write"] })).token;
      assertOk(await as(writer, user("viewer")).putRegistry(), 200); // a viewer could not
      assertError(await as(writer, user("admin")).calls(), 403, "forbidden");

      const reader = (await t.mint({ name: "calls reader", scopes: ["calls:read"] })).token;
      assertOk(await as(reader, user("janitor")).calls(), 200);
      assertError(await as(reader, user("admin")).audit(), 403, "forbidden");
      const lookup = await t.api("GET", `/api/v1/registry/${encodeURIComponent(REGISTERED)}`, { token: reader, headers: user("viewer") });
      assertError(lookup, 403, "forbidden");
    });
  });
}
