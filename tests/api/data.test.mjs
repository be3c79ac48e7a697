// The tenant's data through the API (docs/api.md "Routes", "Writes", "Errors and limits"):
// the registry and the lists with phones normalized, bodies that are not JSON or carry
// unknown fields, texts sent once per Idempotency-Key, messages, events, the audit chain and
// identities. On the native server and the Worker.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { ALLOWED, BLOCKED, OUR_NUMBER, REGISTERED, freshNumber } from "../scenarios/deliveries.mjs";
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import { quietly } from "../scenarios/targets.mjs";
import {
  SCOPES,
  TARGETS,
  allPages,
  apiConfig,
  assertError,
  assertList,
  assertOk,
  callIdOf,
  identityIdOf,
  segment,
  startApiTarget,
} from "./api.mjs";

// "+15555571234" → "1 (555) 557-1234", URL-encoded: the same number, written otherwise.
const spelledOut = (e164) => `1 (${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
const invalid = (answer, field) => {
  assertError(answer, 422, "invalid_field");
  assert.match(answer.json.error.message, new RegExp(`^${field}`), answer.what);
};

for (const kind of TARGETS) {
  describe(`${kind}: API data`, () => {
    let fake;
    let t;
    let admin;
    let globex;
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: apiConfig({ providerUrl: fake.url }) });
      admin = (await t.mint({ name: "admin", scopes: SCOPES })).token;
      globex = (await t.mint({ tenant: "globex", name: "globex admin", scopes: SCOPES })).token;
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    const api = (method, path, options = {}) => t.api(method, path, { token: admin, ...options });

    it("puts, reads and deletes a registry entry under any spelling of its phone", async () => {
      assert.deepEqual((await api("GET", `/api/v1/registry/${encodeURIComponent(REGISTERED)}`)).json, { phone: REGISTERED, namespace: "alice.x" });
      const put = await api("PUT", "/api/v1/registry/1%20(555)%20555-0199", { body: { namespace: "bob.x" } });
      assertOk(put, 200);
      assert.deepEqual(put.json, { phone: "+15555550199", namespace: "bob.x" });
      for (const spelling of ["%2B15555550199", "+15555550199", "15555550199", "1%20(555)%20555-0199"]) {
        const read = await api("GET", `/api/v1/registry/${spelling}`);
        assertOk(read, 200);
        assert.deepEqual(read.json, { phone: "+15555550199", namespace: "bob.x" }, spelling);
      }
      const changed = await api("PUT", "/api/v1/registry/%2B15555550199", { body: { namespace: "carol.x", color: "blue" } });
      assertOk(changed, 200);
      assert.deepEqual(changed.json, { phone: "+15555550199", namespace: "carol.x" }, "unknown fields are ignored");
      assertOk(await api("DELETE", "/api/v1/registry/1%20(555)%20555-0199"), 204);
      assertError(await api("GET", "/api/v1/registry/%2B15555550199"), 404, "not_found");
      assertError(await t.api("GET", `/api/v1/registry/${encodeURIComponent(REGISTERED)}`, { token: globex }), 404, "not_found");
    });

    it("refuses an invalid phone or namespace (422 naming the field) and a body that is not JSON (400)", async () => {
      invalid(await api("PUT", "/api/v1/registry/not-a-phone", { body: { namespace: "x.y" } }), "phone");
      invalid(await api("GET", "/api/v1/registry/12"), "phone");
      invalid(await api("PUT", "/api/v1/lists/allow/abc"), "phone");
      invalid(await api("PUT", "/api/v1/registry/%2B15555550198", { body: {} }), "namespace");
      invalid(await api("PUT", "/api/v1/registry/%2B15555550198", { body: { namespace: 5 } }), "namespace");
      assertError(await api("PUT", "/api/v1/registry/%2B15555550198", { body: "namespace=x.y" }), 400, "malformed_body");
      assertError(await api("POST", "/api/v1/messages", { body: '{"to": "+15555550198", "text": ' }), 400, "malformed_body");
      assertError(await api("GET", "/api/v1/registry/%2B15555550198"), 404, "not_found");
    });

    for (const [list, seeded] of [
      ["allow", ALLOWED],
      ["block", BLOCKED],
    ]) {
      it(`puts, reads and deletes ${list}-list entries; the seeded one is there`, async () => {
        const seededAnswer = await api("GET", `/api/v1/lists/${list}/${encodeURIComponent(seeded)}`);
        assertOk(seededAnswer, 200);
        assert.deepEqual(seededAnswer.json, { list, phone: seeded });
        const phone = freshNumber();
        const put = await api("PUT", `/api/v1/lists/${list}/${encodeURIComponent(spelledOut(phone))}`);
        assertOk(put, 200);
        assert.deepEqual(put.json, { list, phone });
        assert.deepEqual((await api("GET", `/api/v1/lists/${list}/%2B${phone.slice(1)}`)).json, { list, phone });
        const other = list === "allow" ? "block" : "allow";
        assertError(await api("GET", `/api/v1/lists/${other}/${encodeURIComponent(phone)}`), 404, "not_found");
        assertOk(await api("DELETE", `/api/v1/lists/${list}/${encodeURIComponent(phone)}`), 204);
        assertError(await api("GET", `/api/v1/lists/${list}/${encodeURIComponent(phone)}`), 404, "not_found");
        assertError(await t.api("GET", `/api/v1/lists/${list}/${encodeURIComponent(seeded)}`, { token: globex }), 404, "not_found");
      });
    }

    // Texts to one number the fake provider received (whichever provider the tenant sends through).
    const textsTo = (phone) =>
      fake.requests.filter((r) => /^\/v[12]\/messages$/.test(r.path) && JSON.stringify(r.body ?? {}).includes(phone));

    it("sends a text once per Idempotency-Key: the same key and body answer the same, another body is 409", async () => {
      const to = freshNumber();
      const body = { to: spelledOut(to), text: "Your table is ready." };
      const headers = { "idempotency-key": `key-${to}` };
      const first = await api("POST", "/api/v1/messages", { body, headers });
      assertOk(first, 202);
      assert.equal(typeof first.json.id, "string");
      assert.deepEqual(first.json, { id: first.json.id, status: "queued", to, from: OUR_NUMBER, text: body.text });
      const again = await api("POST", "/api/v1/messages", { body, headers });
      assert.equal(again.status, 202, again.what);
      assert.equal(again.text, first.text, "the same answer again");
      assertError(await api("POST", "/api/v1/messages", { body: { ...body, text: "Another text." }, headers }), 409, "conflict");
      await fake.waitFor(() => textsTo(to).length >= 1, 10000, `a text to ${to}`);
      await quietly();
      assert.equal(textsTo(to).length, 1, "sent once");

      const unkeyed = await api("POST", "/api/v1/messages", { body: { to, text: body.text } });
      assertOk(unkeyed, 202);
      assert.notEqual(unkeyed.json.id, first.json.id, "without a key, a new text");
      invalid(await api("POST", "/api/v1/messages", { body: { to: "nobody", text: "x" } }), "to");
      invalid(await api("POST", "/api/v1/messages", { body: { to } }), "text");
    });

    it("places a call once per Idempotency-Key: the same answer again, another body is 409", async () => {
      const to = freshNumber();
      const headers = { "idempotency-key": `call-${to}` };
      const first = await api("POST", "/api/v1/calls", { body: { to }, headers });
      assertOk(first, 202);
      assert.equal(first.json.status, "queued");
      assert.equal(first.json.to, to);
      const again = await api("POST", "/api/v1/calls", { body: { to }, headers });
      assert.equal(again.status, 202, again.what);
      assert.equal(again.text, first.text);
      assertError(await api("POST", "/api/v1/calls", { body: { to: freshNumber() }, headers }), 409, "conflict");
    });

    it("lists texts and events newest first, events filtered by source", async () => {
      const sender = freshNumber();
      const { ack: callAck } = await t.deliverCall({ from: freshNumber() });
      const older = await t.text({ from: sender, text: "First text" });
      const newer = await t.text({ from: sender, text: "Second text" });
      const messages = (await allPages(t, "/api/v1/messages", admin)).items.map((m) => JSON.stringify(m));
      const at = (id) => messages.findIndex((m) => m.includes(id));
      assert.ok(at(older.messageId) >= 0 && at(newer.messageId) >= 0, "both texts are listed");
      assert.ok(at(newer.messageId) < at(older.messageId), "newest first");
      assert.equal(assertList(await t.api("GET", "/api/v1/messages", { token: globex })).data.some((m) => JSON.stringify(m).includes(sender)), false);

      const events = (await allPages(t, "/api/v1/events", admin)).items;
      const index = (id) => events.findIndex((e) => JSON.stringify(e).includes(id));
      assert.ok(index(callAck.event_id) >= 0, "the call's event is listed");
      assert.ok(index(newer.ack.event_id) >= 0 && index(newer.ack.event_id) < index(older.ack.event_id), "newest first");
      assert.ok(index(older.ack.event_id) < index(callAck.event_id), "newest first");
      const openphone = (await allPages(t, "/api/v1/events", admin, { query: "source=openphone" })).items;
      assert.ok(openphone.length >= 2 && openphone.every((e) => e.source === "openphone"), JSON.stringify(openphone));
      const telnyx = (await allPages(t, "/api/v1/events", admin, { query: "source=telnyx" })).items;
      assert.ok(telnyx.length >= 1 && telnyx.every((e) => e.source === "telnyx"), JSON.stringify(telnyx));
    });

    it("lists the audit chain oldest first and verifies it: {ok: true, entries: n}", async () => {
      await t.call({ from: freshNumber() });
      const { items: entries } = await allPages(t, "/api/v1/audit", admin, { limit: 2 });
      assert.ok(entries.length >= 1);
      const seqs = entries.map((e) => e.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "oldest first");
      assert.equal(new Set(seqs).size, seqs.length);
      const verified = await api("GET", "/api/v1/audit/verify");
      assertOk(verified, 200);
      assert.deepEqual(verified.json, { ok: true, entries: entries.length });

      assertOk(await api("PUT", "/api/v1/registry/%2B15555550197", { body: { namespace: "audited.x" } }), 200);
      const { items: grown } = await allPages(t, "/api/v1/audit", admin);
      assert.ok(grown.length > entries.length, "a registry edit is an audit entry");
      assert.deepEqual((await api("GET", "/api/v1/audit/verify")).json, { ok: true, entries: grown.length });
      const theirs = await t.api("GET", "/api/v1/audit/verify", { token: globex });
      assertOk(theirs, 200);
      assert.equal(theirs.json.ok, true);
    });

    it("shows an identity (calls and texts counted); 404 for an unknown one and for another tenant's", async (ctx) => {
      const caller = freshNumber();
      const ccid = await t.call({ from: caller });
      await t.text({ from: caller, text: "Sorry I missed you" });
      const callId = await callIdOf(t, admin, ccid);
      const { id, via } = await identityIdOf(t, admin, callId, caller);
      if (via !== "call") ctx.diagnostic("GET /api/v1/calls/{id} has no identity_id: the identity id came from the ledger");
      const answer = await api("GET", `/api/v1/identities/${segment(id)}`);
      assertOk(answer, 200);
      const identity = answer.json;
      assert.deepEqual(Object.keys(identity).sort(), ["calls", "display", "first_seen", "id", "last_seen", "messages", "phone"]);
      assert.equal(identity.id, id);
      assert.equal(identity.phone, caller);
      assert.equal(identity.calls, 1);
      assert.equal(identity.messages, 1);
      assert.ok(Date.parse(identity.first_seen) <= Date.parse(identity.last_seen), answer.what);
      assertError(await api("GET", "/api/v1/identities/no-such-identity"), 404, "not_found");
      assertError(await t.api("GET", `/api/v1/identities/${segment(id)}`, { token: globex }), 404, "not_found");
    });
  });
}
