// What the console reads and does through the API (docs/api.md "Console routes"): the
// registry and the lists paged newest first, an operator's retry of a dead provider command,
// the chart counts of GET /api/v1/stats, and one tenant's Prometheus metrics at
// GET /api/v1/metrics. On the native server and the Worker.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { ALLOWED, BLOCKED, REGISTERED, freshNumber } from "../scenarios/deliveries.mjs";
import { startFakeProvider } from "../scenarios/fake-provider.mjs";
import { TARGETS, SCOPES, allPages, apiConfig, assertError, assertOk, startApiTarget } from "./api.mjs";

const enc = encodeURIComponent;

// "name{labels} value" lines of one family (its samples, whatever their suffix).
function samples(text, family) {
  return text
    .split("\n")
    .filter((line) => line.startsWith(family) && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-z_]+)(\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[3] ?? "").matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[4]) };
    });
}
const valueOf = (text, name, labels) =>
  samples(text, name)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

for (const kind of TARGETS) {
  describe(`${kind}: API routes the console reads`, () => {
    let fake;
    let t;
    let admin;
    let globex;
    before(async () => {
      fake = await startFakeProvider();
      const config = apiConfig({ providerUrl: fake.url });
      config.outbound = { max_attempts: 1, base_delay_ms: 100, max_delay_ms: 200 };
      t = await startApiTarget(kind, { config });
      admin = (await t.mint({ name: "admin", scopes: SCOPES })).token;
      globex = (await t.mint({ tenant: "globex", name: "globex admin", scopes: SCOPES })).token;
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });
    const api = (method, path, options = {}) => t.api(method, path, { token: admin, ...options });

    it("lists the registry and each list newest edit first, with cursors, and only the token's tenant", async () => {
      const added = [freshNumber(), freshNumber(), freshNumber()];
      for (const [i, phone] of added.entries()) {
        assertOk(await api("PUT", `/api/v1/registry/${enc(phone)}`, { body: { namespace: `page${i}.x` } }), 200);
      }
      const first = await api("GET", "/api/v1/registry", { query: "limit=2" });
      assertOk(first, 200);
      assert.equal(first.json.has_more, true, first.what);
      assert.deepEqual(
        first.json.data.map((e) => [e.phone, e.namespace]),
        [
          [added[2], "page2.x"],
          [added[1], "page1.x"],
        ],
        first.what,
      );
      assert.match(first.json.data[0].updated_at, /^\d{4}-\d\d-\d\dT/, first.what);
      const every = (await allPages(t, "/api/v1/registry", admin)).items;
      assert.deepEqual(every.slice(0, 3).map((e) => e.phone), [...added].reverse());
      assert.ok(
        every.some((e) => e.phone === REGISTERED && e.namespace === "alice.x"),
        "the configured registry is listed too",
      );
      const allow = await api("GET", "/api/v1/lists/allow");
      assertOk(allow, 200);
      assert.ok(allow.json.data.some((e) => e.phone === ALLOWED && e.list === "allow"), allow.what);
      assert.ok(!allow.json.data.some((e) => e.phone === BLOCKED), allow.what);
      const block = await api("GET", "/api/v1/lists/block");
      assert.deepEqual(block.json.data.map((e) => [e.list, e.phone]), [["block", BLOCKED]], block.what);
      assertError(await api("GET", "/api/v1/lists/grey"), 404, "not_found");
      const theirs = await t.api("GET", "/api/v1/registry", { token: globex });
      assertOk(theirs, 200);
      assert.ok(!theirs.json.data.some((e) => added.includes(e.phone)), theirs.what);
    });

    it("retries a dead provider command once (202, pending, then delivered) and never a delivered one (409)", async () => {
      fake.setMode(400);
      const to = freshNumber();
      const sent = await api("POST", "/api/v1/messages", { body: { to, text: "retry me" } });
      assertOk(sent, 202);
      const dead = await t.waitForLedger(
        { op: "list_outbound", status: "dead" },
        (reply) => reply.outbound.find((c) => c.body.includes(to)),
        10000,
        "the text's command to die",
      );
      assert.equal(dead.attempts, 1);
      fake.setMode("up");
      const retried = await api("POST", `/api/v1/outbound/${enc(dead.command_id)}/retry`);
      assertOk(retried, 202);
      assert.equal(retried.json.command_id, dead.command_id, retried.what);
      assert.equal(retried.json.status, "pending", retried.what);
      const delivered = await t.waitForLedger(
        { op: "list_outbound", status: "delivered" },
        (reply) => reply.outbound.find((c) => c.command_id === dead.command_id),
        10000,
        "the retried command to be delivered",
      );
      assert.equal(delivered.attempts, 2);
      assert.equal(fake.requests.filter((r) => JSON.stringify(r.body ?? r.form).includes(to)).length, 2);
      const again = await api("POST", `/api/v1/outbound/${enc(dead.command_id)}/retry`);
      assertError(again, 409, "conflict");
      assertError(await api("POST", "/api/v1/outbound/cmd_nothing/retry"), 404, "not_found");
      assertError(await t.api("POST", `/api/v1/outbound/${enc(dead.command_id)}/retry`, { token: globex }), 404, "not_found");
    });

    it("counts calls by outcome and action, texts by priority and webhooks by source in hourly buckets", async () => {
      const since = new Date(Date.now() - 2 * 3600_000).toISOString();
      const before = await api("GET", "/api/v1/stats", { query: `since=${since}` });
      assertOk(before, 200);
      assert.equal(before.json.bucket, "hour", before.what);
      assert.equal(before.json.calls.length, before.json.texts.length, before.what);
      assert.ok(before.json.calls.length >= 2 && before.json.calls.length <= 3, before.what);
      for (const bucket of before.json.calls) {
        assert.match(bucket.at, /^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/, before.what);
        assert.deepEqual(Object.keys(bucket.outcomes), ["authenticated", "allowlisted", "blocked", "screened", "rejected"]);
        assert.deepEqual(Object.keys(bucket.actions), ["answer", "forward", "reject_with_message", "reject"]);
      }
      const total = (answer, pick) => answer.json.calls.reduce((sum, b) => sum + pick(b), 0);
      const webhooks = (answer, source) => answer.json.webhooks.find((w) => w.source === source)?.count ?? 0;

      await t.call({ from: REGISTERED });
      await t.call({ from: BLOCKED });
      await t.call({ from: freshNumber() });
      await t.text({ from: freshNumber(), text: "Emergency! The pipe burst, water everywhere, please come now" });

      const afterwards = await api("GET", "/api/v1/stats", { query: `since=${since}` });
      assertOk(afterwards, 200);
      assert.equal(total(afterwards, (b) => b.total) - total(before, (b) => b.total), 3, afterwards.what);
      assert.equal(total(afterwards, (b) => b.outcomes.authenticated) - total(before, (b) => b.outcomes.authenticated), 1);
      assert.equal(total(afterwards, (b) => b.outcomes.blocked) - total(before, (b) => b.outcomes.blocked), 1);
      assert.equal(total(afterwards, (b) => b.outcomes.rejected) - total(before, (b) => b.outcomes.rejected), 1);
      assert.equal(total(afterwards, (b) => b.actions.answer) - total(before, (b) => b.actions.answer), 1);
      const texts = (answer) => answer.json.texts.reduce((sum, b) => sum + b.priorities.urgent, 0);
      assert.equal(texts(afterwards) - texts(before), 1, afterwards.what);
      assert.equal(webhooks(afterwards, "telnyx") - webhooks(before, "telnyx"), 3, afterwards.what);
      assert.equal(webhooks(afterwards, "openphone") - webhooks(before, "openphone"), 1, afterwards.what);
      assert.ok(afterwards.json.webhooks.every((w) => w.result === "verified"), afterwards.what);

      const days = await api("GET", "/api/v1/stats", { query: "bucket=day" });
      assertOk(days, 200);
      assert.ok(days.json.calls.length >= 30 && days.json.calls.length <= 31, days.what);
      assert.match(days.json.calls.at(-1).at, /T00:00:00\.000Z$/, days.what);
      assert.ok(days.json.calls.at(-1).total >= 3, days.what);

      const theirs = await t.api("GET", "/api/v1/stats", { token: globex, query: `since=${since}` });
      assert.equal(total(theirs, (b) => b.total), 0, theirs.what);
    });

    it("refuses a stats window that is backwards, too long or not RFC 3339 (422 naming the field)", async () => {
      const refused = async (query, field) => {
        const answer = await api("GET", "/api/v1/stats", { query });
        assertError(answer, 422, "invalid_field");
        assert.match(answer.json.error.message, new RegExp(`^${field}:`), answer.what);
      };
      await refused("since=yesterday", "since");
      await refused("until=2026-13-01T00:00:00Z", "until");
      await refused("bucket=minute", "bucket");
      await refused("since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "since");
      await refused("since=2026-01-01T00:00:00Z&until=2026-03-01T00:00:00Z", "since");
    });

    it("serves the tenant's counters as Prometheus text that move exactly with what was recorded", async () => {
      const read = async (token = admin) => {
        const answer = await t.api("GET", "/api/v1/metrics", { token });
        assert.equal(answer.status, 200, answer.what);
        assert.match(answer.header("content-type"), /^text\/plain; version=0\.0\.4/, answer.what);
        return answer.text;
      };
      const before = await read();
      assert.match(before, /^# HELP frontdesk_calls_total /m);
      assert.match(before, /^# TYPE frontdesk_call_duration_seconds histogram$/m);
      assert.ok(samples(before, "frontdesk_").every((s) => s.labels.tenant === "acme"), "only the token's tenant");

      await t.call({ from: BLOCKED });
      await t.call({ from: REGISTERED });
      const after = await read();
      const moved = (name, labels) => valueOf(after, name, labels) - valueOf(before, name, labels);
      assert.equal(moved("frontdesk_calls_total", { outcome: "blocked" }), 1);
      assert.equal(moved("frontdesk_calls_total", { outcome: "authenticated" }), 1);
      assert.equal(moved("frontdesk_events_recorded_total", { source: "telnyx" }), 2);

      const theirs = await read(globex);
      assert.ok(samples(theirs, "frontdesk_").every((s) => s.labels.tenant === "globex"), theirs);
      assert.equal(valueOf(theirs, "frontdesk_calls_total", {}), 0, theirs);
    });
  });
}
