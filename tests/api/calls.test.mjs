// Calls through the API (docs/api.md "Routes", "Lists and cursors"): the list newest first,
// paged by an opaque cursor that neither skips nor repeats while calls arrive, its filters,
// one call with its timeline and decision, and 404 for what is not the token's tenant's.
// Calls are made by signed Telnyx call.initiated deliveries. On the native server and the Worker.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { ALLOWED, BLOCKED, OUR_NUMBER, REGISTERED, freshNumber } from "../scenarios/deliveries.mjs";
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import {
  GLOBEX_NUMBER,
  TARGETS,
  allPages,
  apiConfig,
  assertError,
  assertList,
  assertOk,
  callIdOf,
  segment,
  startApiTarget,
} from "./api.mjs";

const CALL_FIELDS = ["id", "provider", "provider_call_id", "from", "to", "direction", "state", "started_at", "answered_at", "ended_at", "timeline", "decision"];

for (const kind of TARGETS) {
  describe(`${kind}: API calls`, () => {
    let fake;
    let t;
    let reader;
    let globex;
    const seeded = []; // {ccid, from, at}, oldest first
    const start = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000; // whole seconds: started_at compares exactly
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url }) });
      reader = (await t.mint({ name: "reader", scopes: ["calls:read"] })).token;
      globex = (await t.mint({ tenant: "globex", name: "globex reader", scopes: ["calls:read"] })).token;
      const callers = [REGISTERED, freshNumber(), ALLOWED, BLOCKED, freshNumber()];
      for (const [i, from] of callers.entries()) {
        const at = new Date(start + i * 1000);
        seeded.push({ ccid: await t.call({ from, occurredAt: at }), from, at });
      }
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    const list = (query, token = reader) => t.api("GET", "/api/v1/calls", { token, query });

    it("pages with limit=2 until has_more is false: every call once, newest first", async () => {
      const { items, pages } = await allPages(t, "/api/v1/calls", reader, { limit: 2 });
      assert.deepEqual(pages.map((page) => page.length), [2, 2, 1]);
      assert.deepEqual(items.map((call) => call.provider_call_id), seeded.map((s) => s.ccid).reverse());
      assert.equal(new Set(items.map((call) => call.id)).size, items.length, "no call twice");
      const first = assertList(await list("limit=200"));
      assert.equal(first.has_more, false);
      assert.deepEqual(first.data.map((call) => call.id), items.map((call) => call.id));
      assert.equal(assertList(await list("")).data.length, 5, "the default limit (50) holds them all");
    });

    it("neither skips nor repeats while calls arrive between pages", async () => {
      const { items: existing } = await allPages(t, "/api/v1/calls", reader);
      const arrived = [];
      const { items } = await allPages(t, "/api/v1/calls", reader, {
        limit: 2,
        between: async () => arrived.push(await t.call({ from: freshNumber() })),
      });
      assert.ok(arrived.length >= 2, "calls arrived while paging");
      const ids = items.map((call) => call.id);
      assert.equal(new Set(ids).size, ids.length, `no call repeated: ${ids.join(", ")}`);
      for (const call of existing) assert.ok(ids.includes(call.id), `${call.id}, there when paging began, is on a page`);
      const { items: later } = await allPages(t, "/api/v1/calls", reader);
      assert.equal(later.length, existing.length + arrived.length);
      assert.deepEqual(later.slice(0, arrived.length).map((call) => call.provider_call_id), [...arrived].reverse());
    });

    it("refuses a limit outside 1–200 and a cursor it did not make: 422 invalid_field", async () => {
      for (const [query, field] of [
        ["limit=0", "limit"],
        ["limit=201", "limit"],
        ["limit=two", "limit"],
        ["cursor=not-a-cursor", "cursor"],
      ]) {
        const answer = await list(query);
        assertError(answer, 422, "invalid_field");
        assert.match(answer.json.error.message, new RegExp(`^${field}`), answer.what);
      }
    });

    it("filters by status (the call state), from (a phone) and since (RFC 3339, on started_at)", async () => {
      const { items: all } = await allPages(t, "/api/v1/calls", reader);
      const states = new Set(all.map((call) => call.state));
      assert.ok(states.size >= 2, `calls in more than one state: ${[...states]}`);
      assert.equal(all.find((call) => call.from === BLOCKED)?.state, "rejected", "a blocked caller's call is rejected");
      for (const state of states) {
        const { items } = await allPages(t, "/api/v1/calls", reader, { query: `status=${state}` });
        assert.deepEqual(items.map((c) => c.id), all.filter((c) => c.state === state).map((c) => c.id), `status=${state}`);
      }
      assertList(await list("status=ringing"));

      const caller = seeded[1].from;
      const byCaller = assertList(await list(`from=${encodeURIComponent(caller)}`));
      assert.deepEqual(byCaller.data.map((c) => c.provider_call_id), [seeded[1].ccid]);

      const old = await t.call({ from: freshNumber(), occurredAt: new Date(Date.now() - 3 * 3600_000) });
      const recent = await allPages(t, "/api/v1/calls", reader, {
        query: `since=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`,
      });
      assert.equal(recent.items.some((c) => c.provider_call_id === old), false, "the old call started before since");
      for (const s of seeded) assert.ok(recent.items.some((c) => c.provider_call_id === s.ccid), `${s.ccid} started after since`);
      const since = new Date(Date.now() - 4 * 3600_000).toISOString();
      const everything = await allPages(t, "/api/v1/calls", reader, { query: `since=${encodeURIComponent(since)}` });
      assert.ok(everything.items.some((c) => c.provider_call_id === old));
      for (const c of everything.items) assert.ok(Date.parse(c.started_at) >= Date.parse(since), c.started_at);

      for (const [query, field] of [
        ["status=sleeping", "status"],
        ["since=yesterday", "since"],
        ["from=not-a-phone", "from"],
      ]) {
        const answer = await list(query);
        assertError(answer, 422, "invalid_field");
        assert.match(answer.json.error.message, new RegExp(`^${field}`), answer.what);
      }
    });

    it("shows one call with its timeline and its decision's trust factors", async () => {
      const { ccid, at } = seeded[0];
      const id = await callIdOf(t, reader, ccid);
      const answer = await t.api("GET", `/api/v1/calls/${segment(id)}`, { token: reader });
      assertOk(answer, 200);
      const call = answer.json;
      for (const field of CALL_FIELDS) assert.ok(field in call, `${field} in ${answer.what}`);
      assert.equal(call.id, id);
      assert.equal(call.provider, "telnyx");
      assert.equal(call.provider_call_id, ccid);
      assert.equal(call.from, REGISTERED);
      assert.equal(call.to, OUR_NUMBER);
      assert.equal(Date.parse(call.started_at), at.getTime());
      assert.equal(call.answered_at, null, "no call.answered yet");
      assert.equal(call.ended_at, null);
      assert.ok(Array.isArray(call.timeline) && call.timeline.length >= 1, answer.what);
      assert.ok(call.timeline.some((entry) => entry.type === "call.initiated"), answer.what);
      assert.ok(Array.isArray(call.decision?.trust?.factors), `decision.trust.factors: ${answer.what}`);
      assert.ok(call.decision.trust.factors.some((factor) => factor.name === "registry"), "a registered caller's registry factor");
    });

    it("answers 404 not_found for an unknown call and for another tenant's", async () => {
      assertError(await t.api("GET", "/api/v1/calls/acme:telnyx:v3:no-such-call", { token: reader }), 404, "not_found");
      const acmeCall = await callIdOf(t, reader, seeded[0].ccid);
      assertError(await t.api("GET", `/api/v1/calls/${segment(acmeCall)}`, { token: globex }), 404, "not_found");
      assert.equal(assertList(await list("limit=200", globex)).data.length, 0, "globex sees none of acme's calls");

      const theirs = await t.call({ from: freshNumber(), to: GLOBEX_NUMBER });
      const globexCall = await callIdOf(t, globex, theirs);
      assertOk(await t.api("GET", `/api/v1/calls/${segment(globexCall)}`, { token: globex }), 200);
      assertError(await t.api("GET", `/api/v1/calls/${segment(globexCall)}`, { token: reader }), 404, "not_found");
      const { items } = await allPages(t, "/api/v1/calls", reader);
      assert.equal(items.some((c) => c.provider_call_id === theirs), false, "acme's list holds no globex call");
    });
  });
}
