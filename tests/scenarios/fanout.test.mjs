// Fan-out (docs/fanout.md): a tenant's webhook endpoints, managed through the API, get the
// tenant's events as Standard Webhooks deliveries, verified here with the `standardwebhooks`
// package against each endpoint's secret; failures are retried on fanout.schedule_s and
// logged, a hanging endpoint holds up nothing else, and endpoint URLs are checked. On the
// native server and the Worker, each endpoint a local receiver (webhook-receiver.mjs).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, afterEach, before, describe, it } from "node:test";

import { Webhook, WebhookVerificationError } from "standardwebhooks";

import { componentValidator, openapi, validateAnswer } from "../api/openapi-validate.mjs";
import {
  TARGETS,
  apiConfig,
  assertError,
  assertList,
  assertOk,
  callIdOf,
  segment,
  sleep,
  startApiTarget,
} from "../api/api.mjs";
import { OUR_NUMBER, freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { quietly } from "./targets.mjs";
import { startWebhookReceiver } from "./webhook-receiver.mjs";

const ENDPOINT_SCOPES = ["endpoints:read", "endpoints:write"];
// Local http receivers, quickly: the first attempt at once, again 1 s later and 1 s after
// that, then dead (three attempts).
const TEST_FANOUT = { allow_http: true, allow_private: true, schedule_s: [0, 1, 1] };
const ATTEMPTS = 3;
const CALL_EVENTS = ["call.received", "call.screened"];
// The fields each event type's `data` always has (docs/fanout.md, "Event catalog"); more may
// be added, and receivers ignore the ones they do not know.
const DATA_FIELDS = {
  "call.received": ["call_id", "from", "identity_id", "provider", "to"],
  "call.screened": ["action", "call_id", "factors", "from", "namespace", "outcome", "to", "trust_score"],
  "message.received": ["auto_reply", "from", "intent", "message_id", "priority", "sentiment", "text", "to"],
};

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const SECRET = /^whsec_[A-Za-z0-9+/]{32}$/; // 24 random bytes in base64
const ENDPOINT_ID = /^ep_[0-9A-Za-z_-]+$/;
const MESSAGE_ID = /^msg_[0-9A-Za-z_-]+$/;
const SIGNATURES = /^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$/;

// --- configuration and API ---

// The API scenarios' configuration (tenants acme and globex) with `fanout` when given, and a
// rate limit the polling below never meets.
function fanoutConfig(providerUrl, fanout) {
  const config = apiConfig({ providerUrl, api: { rate_limit: 100000 } });
  if (fanout) config.fanout = fanout;
  return config;
}

// A request to a documented route, its path parameters filled in; the answer, whatever its
// status, must be one docs/openapi.json allows → t.api's answer.
async function request(t, method, template, { params = {}, ...options } = {}) {
  const path = template.replace(/\{([^}]+)\}/g, (_, name) => segment(params[name]));
  const answer = await t.api(method, path, options);
  validateAnswer(method, template, answer.status, answer.headers, answer.text);
  return answer;
}

// POST /api/v1/endpoints → the 201 endpoint, its secret included.
async function createEndpoint(t, token, body) {
  const answer = await request(t, "POST", "/api/v1/endpoints", { token, body });
  assertOk(answer, 201);
  assert.match(answer.json.secret ?? "", SECRET, answer.what);
  return answer.json;
}

// A 422 invalid_field whose message names `field`.
function assertInvalid(answer, field) {
  assertError(answer, 422, "invalid_field");
  assert.match(answer.json.error.message, new RegExp(`^${field}\\b`), `the message names ${field}: ${answer.what}`);
}

function assertRfc3339(value, what) {
  assert.match(String(value), RFC3339, what);
  assert.ok(!Number.isNaN(Date.parse(value)), what);
}

// An endpoint as the API shows it: exactly the documented fields with `expected`'s values;
// the secret only when `withSecret` (the 201 of its creation).
function assertEndpoint(answer, expected, { withSecret = false } = {}) {
  const endpoint = answer.json;
  assert.match(endpoint.id ?? "", ENDPOINT_ID, answer.what);
  assertRfc3339(endpoint.created_at, answer.what);
  assertRfc3339(endpoint.updated_at, answer.what);
  const shown = { id: endpoint.id, created_at: endpoint.created_at, updated_at: endpoint.updated_at };
  if (withSecret) {
    assert.match(endpoint.secret ?? "", SECRET, answer.what);
    assert.equal(Buffer.from(endpoint.secret.slice("whsec_".length), "base64").length, 24, "24 random bytes");
    shown.secret = endpoint.secret;
  }
  assert.deepEqual(endpoint, { ...shown, ...expected }, answer.what);
}

// --- the delivery log ---

// One entry of GET /api/v1/deliveries (or the answer of a retry): exactly its fields.
function assertDelivery(delivery, what) {
  assert.deepEqual(
    Object.keys(delivery).sort(),
    ["attempts", "created_at", "endpoint", "event_type", "id", "next_at", "status"],
    what,
  );
  assert.match(delivery.id, MESSAGE_ID, what);
  assert.match(delivery.endpoint, ENDPOINT_ID, what);
  assert.ok(["pending", "delivered", "dead"].includes(delivery.status), what);
  assertRfc3339(delivery.created_at, what);
  if (delivery.status === "pending") {
    if (delivery.next_at !== null) assertRfc3339(delivery.next_at, what);
  } else {
    assert.equal(delivery.next_at, null, `nothing is due for a ${delivery.status} delivery: ${what}`);
  }
  for (const attempt of delivery.attempts) {
    assert.deepEqual(Object.keys(attempt).sort(), ["at", "duration_ms", "error", "status_code"], what);
    assertRfc3339(attempt.at, what);
    assert.ok(attempt.status_code === null || Number.isInteger(attempt.status_code), what);
    assert.ok(Number.isInteger(attempt.duration_ms) && attempt.duration_ms >= 0, what);
    assert.ok(attempt.error === null || typeof attempt.error === "string", what);
  }
}

// Polls GET /api/v1/deliveries?query until pick(data) is truthy → that value.
async function waitForLog(t, token, query, pick, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = assertList(await request(t, "GET", "/api/v1/deliveries", { token, query }));
    for (const delivery of list.data) assertDelivery(delivery, `GET /api/v1/deliveries?${query}`);
    const value = pick(list.data);
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; GET /api/v1/deliveries?${query}: ${JSON.stringify(list.data)}`);
    }
    await sleep(100);
  }
}

const logQuery = (fields) => new URLSearchParams({ limit: "200", ...fields }).toString();

// --- what the receivers got ---

// The requests about one caller's call or one sender's text (data.from), optionally of a type.
const about = (requests, from, type) =>
  requests.filter((r) => r.body?.data?.from === from && (type === undefined || r.body.type === type));

// Waits until a receiver has, about `from`, at least `count` requests of each type → them all.
function waitForEvents(receiver, from, types, { count = 1, timeoutMs = 10000 } = {}) {
  return receiver.waitFor(
    (requests) => (types.every((type) => about(requests, from, type).length >= count) ? about(requests, from) : null),
    timeoutMs,
    `${count} × ${types.join(", ")} about ${from}`,
  );
}

// A delivery as Standard Webhooks sends it, verified with `standardwebhooks` against
// `secret`, its payload valid against the event type's schema in docs/openapi.json
// (`webhooks`) → the verified payload.
function assertSignedDelivery(request, secret, receiver) {
  const what = `delivery ${request.headers["webhook-id"]}: ${request.rawBody}`;
  assert.equal(request.method, "POST", what);
  assert.equal(request.path, new URL(receiver.url).pathname, `the endpoint URL's path: ${what}`);
  assert.match(request.headers["content-type"] ?? "", /^application\/json\b/, what);
  assert.match(request.headers["webhook-id"] ?? "", MESSAGE_ID, what);
  assert.match(request.headers["webhook-timestamp"] ?? "", /^\d+$/, what);
  assert.match(request.headers["webhook-signature"] ?? "", SIGNATURES, what);
  // Throws WebhookVerificationError unless a v1 signature matches and the timestamp is
  // within 5 minutes of now.
  const payload = new Webhook(secret).verify(request.rawBody, request.headers);
  assert.deepEqual(Object.keys(payload).sort(), ["data", "timestamp", "type"], what);
  assertRfc3339(payload.timestamp, what);
  assert.equal(typeof payload.data, "object", what);
  assert.notEqual(payload.data, null, what);
  const ref = openapi.webhooks?.[payload.type]?.post?.requestBody?.content?.["application/json"]?.schema?.$ref;
  assert.ok(ref, `docs/openapi.json documents the webhook ${payload.type}`);
  const validate = componentValidator(ref.split("/").pop());
  assert.ok(validate(payload), `${payload.type} against ${ref}: ${JSON.stringify(validate.errors)}; ${what}`);
  for (const field of DATA_FIELDS[payload.type] ?? []) assert.ok(field in payload.data, `data.${field}: ${what}`);
  return payload;
}

// The signature header Standard Webhooks gives a request signed with each secret in turn.
const signatureWith = (secrets, request) =>
  secrets
    .map((secret) =>
      new Webhook(secret).sign(
        request.headers["webhook-id"],
        new Date(Number(request.headers["webhook-timestamp"]) * 1000),
        request.rawBody,
      ),
    )
    .join(" ");

// A signed Telnyx call.initiated from `from`, not yet delivered.
const newCall = (from) => signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from }).body);

for (const kind of TARGETS) {
  describe(`${kind}: fan-out to a tenant's webhook endpoints`, () => {
    let fake;
    let t;
    let token; // acme: calls:read and the endpoint scopes
    let globex; // the other tenant's, with the endpoint scopes
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: fanoutConfig(fake.url, TEST_FANOUT) });
      token = (await t.mint({ name: "fan-out", scopes: ["calls:read", ...ENDPOINT_SCOPES] })).token;
      globex = (await t.mint({ tenant: "globex", name: "globex fan-out", scopes: ENDPOINT_SCOPES })).token;
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    // Each test's receivers and endpoints, gone after it: receivers closed first (ending any
    // held request), then the endpoints deleted, so no test's endpoint sees another's events.
    let receivers = [];
    let endpoints = [];
    afterEach(async () => {
      for (const receiver of receivers) await receiver.close();
      for (const { id, as } of endpoints) await t.api("DELETE", `/api/v1/endpoints/${segment(id)}`, { token: as });
      receivers = [];
      endpoints = [];
    });
    async function receiver(mode = "ok") {
      const started = await startWebhookReceiver({ mode });
      receivers.push(started);
      return started;
    }
    async function endpoint(body, as = token) {
      const created = await createEndpoint(t, as, body);
      endpoints.push({ id: created.id, as });
      return created;
    }

    it("POST /api/v1/endpoints answers 201 with the endpoint and a whsec_ secret; GET shows it without the secret and GET …/secret the same secret; PATCH edits it; DELETE answers 204, then 404", async () => {
      const r = await receiver();
      const created = await request(t, "POST", "/api/v1/endpoints", { token, body: { url: r.url, description: "CRM sync" } });
      assertOk(created, 201);
      const fields = { url: r.url, events: [], description: "CRM sync", enabled: true, disabled_reason: null };
      assertEndpoint(created, fields, { withSecret: true });
      const { secret, ...shown } = created.json;
      endpoints.push({ id: shown.id, as: token });
      const second = await endpoint({ url: r.url, events: ["call.screened", "message.received"] });
      assert.deepEqual(second.events, ["call.screened", "message.received"]);
      assert.equal(second.description, "");
      assert.notEqual(second.secret, secret, "each endpoint has its own secret");

      const read = await request(t, "GET", "/api/v1/endpoints/{id}", { token, params: { id: shown.id } });
      assertOk(read, 200);
      assert.deepEqual(read.json, shown, "the endpoint without its secret");
      const list = assertList(await request(t, "GET", "/api/v1/endpoints", { token, query: "limit=200" }));
      const ids = list.data.map((e) => e.id);
      assert.ok(ids.indexOf(second.id) >= 0 && ids.indexOf(second.id) < ids.indexOf(shown.id), `newest first: ${ids}`);
      assert.deepEqual(list.data.find((e) => e.id === shown.id), shown);
      assert.ok(list.data.every((e) => !("secret" in e)), "no secret in the list");
      const shownSecret = await request(t, "GET", "/api/v1/endpoints/{id}/secret", { token, params: { id: shown.id } });
      assertOk(shownSecret, 200);
      assert.deepEqual(shownSecret.json, { secret });

      const edit = { url: `${r.url}/v2`, events: ["call.received"], description: "CRM sync (v2)" };
      const patched = await request(t, "PATCH", "/api/v1/endpoints/{id}", { token, params: { id: shown.id }, body: edit });
      assertOk(patched, 200);
      assertEndpoint(patched, { ...fields, ...edit });
      assert.equal(patched.json.id, shown.id);
      assert.equal(patched.json.created_at, shown.created_at);
      assert.ok(Date.parse(patched.json.updated_at) >= Date.parse(shown.created_at), patched.what);
      const reread = await request(t, "GET", "/api/v1/endpoints/{id}", { token, params: { id: shown.id } });
      assert.deepEqual(reread.json, patched.json, "the edit is kept");
      const disabled = await request(t, "PATCH", "/api/v1/endpoints/{id}", { token, params: { id: shown.id }, body: { enabled: false } });
      assertOk(disabled, 200);
      assert.equal(disabled.json.enabled, false, disabled.what);
      assert.deepEqual({ ...disabled.json, enabled: true, disabled_reason: null, updated_at: null }, { ...patched.json, updated_at: null });
      const enabled = await request(t, "PATCH", "/api/v1/endpoints/{id}", { token, params: { id: shown.id }, body: { enabled: true } });
      assertOk(enabled, 200);
      assertEndpoint(enabled, { ...fields, ...edit });
      const unchanged = await request(t, "GET", "/api/v1/endpoints/{id}/secret", { token, params: { id: shown.id } });
      assert.deepEqual(unchanged.json, { secret }, "an edit keeps the secret");

      const removed = await request(t, "DELETE", "/api/v1/endpoints/{id}", { token, params: { id: shown.id } });
      assertOk(removed, 204);
      for (const [method, template, body] of [
        ["GET", "/api/v1/endpoints/{id}"],
        ["GET", "/api/v1/endpoints/{id}/secret"],
        ["PATCH", "/api/v1/endpoints/{id}", { description: "gone" }],
        ["DELETE", "/api/v1/endpoints/{id}"],
      ]) {
        assertError(await request(t, method, template, { token, params: { id: shown.id }, body }), 404, "not_found");
      }
      const remaining = assertList(await request(t, "GET", "/api/v1/endpoints", { token, query: "limit=200" }));
      assert.ok(!remaining.data.some((e) => e.id === shown.id), "gone from the list");
    });

    it("a new call from a fresh number delivers call.received and call.screened once each, signed with the endpoint's secret, naming the call's from and to", async () => {
      const r = await receiver();
      const ep = await endpoint({ url: r.url });
      const caller = freshNumber();
      const { ccid } = await t.deliverCall({ from: caller });
      await waitForEvents(r, caller, CALL_EVENTS);
      await quietly();
      const got = about(r.requests, caller);
      assert.deepEqual(got.map((q) => q.body.type).sort(), CALL_EVENTS, "each event once");

      const payloads = Object.fromEntries(got.map((q) => [q.body.type, assertSignedDelivery(q, ep.secret, r)]));
      const ids = got.map((q) => q.headers["webhook-id"]);
      assert.equal(new Set(ids).size, 2, `a webhook-id per event: ${ids}`);
      const received = payloads["call.received"].data;
      const screened = payloads["call.screened"].data;
      for (const data of [received, screened]) {
        assert.equal(data.from, caller);
        assert.equal(data.to, OUR_NUMBER);
      }
      assert.equal(received.provider, "telnyx");
      assert.equal(screened.call_id, received.call_id, "both name the same call");
      const callId = await callIdOf(t, token, ccid);
      assert.ok([callId, ccid].includes(received.call_id), `call_id ${received.call_id} names the call (${callId} or ${ccid})`);
      assert.ok(Number.isInteger(screened.trust_score), JSON.stringify(screened));
      assert.ok(Array.isArray(screened.factors), JSON.stringify(screened));

      const logged = await waitForLog(
        t,
        token,
        logQuery({ endpoint: ep.id, status: "delivered" }),
        (data) => (ids.every((id) => data.some((d) => d.id === id)) ? data.filter((d) => ids.includes(d.id)) : null),
        "both deliveries logged as delivered",
      );
      for (const delivery of logged) {
        const request = got.find((q) => q.headers["webhook-id"] === delivery.id);
        assert.equal(delivery.endpoint, ep.id);
        assert.equal(delivery.event_type, request.body.type);
        assert.equal(delivery.attempts.length, 1, JSON.stringify(delivery));
        assert.equal(delivery.attempts[0].status_code, 200, JSON.stringify(delivery));
        assert.equal(delivery.attempts[0].error, null, JSON.stringify(delivery));
      }
    });

    it("an inbound text delivers message.received with its from, to, text and analysis", async () => {
      const r = await receiver();
      const ep = await endpoint({ url: r.url });
      const sender = freshNumber();
      const words = "Can you fix the leaking sink this week?";
      await t.text({ from: sender, text: words });
      const [delivery] = await waitForEvents(r, sender, ["message.received"]);
      const { data } = assertSignedDelivery(delivery, ep.secret, r);
      assert.equal(data.from, sender);
      assert.equal(data.to, OUR_NUMBER);
      assert.equal(data.text, words);
      assert.equal(typeof data.message_id, "string");
      assert.equal(typeof data.auto_reply, "boolean");
      await quietly();
      assert.equal(about(r.requests, sender).length, 1, "once");
    });

    it("a duplicate delivery of a call, or a refused one (bad signature), fans out nothing", async () => {
      const r = await receiver();
      await endpoint({ url: r.url });
      const caller = freshNumber();
      const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: caller });
      const first = await t.acknowledged(signedTelnyx(event.body));
      assert.equal(first.duplicate, false);
      const again = await t.acknowledged(signedTelnyx(event.body));
      assert.deepEqual(again, { ok: true, event_id: first.event_id, duplicate: true });
      // Signed for one caller, delivered about another: refused.
      const forger = freshNumber();
      const forged = newCall(caller);
      forged.body = new TextEncoder().encode(
        telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: forger }).body,
      );
      const refused = await t.deliver(forged);
      assert.equal(refused.status, 401, refused.text);

      await waitForEvents(r, caller, CALL_EVENTS);
      await quietly();
      assert.deepEqual(about(r.requests, caller).map((q) => q.body.type).sort(), CALL_EVENTS, "once each, duplicate or not");
      assert.deepEqual(about(r.requests, forger), [], "nothing of the refused delivery");
    });

    it('an endpoint with events ["call.screened"] gets only call.screened', async () => {
      const filtered = await receiver();
      const everything = await receiver();
      const ep = await endpoint({ url: filtered.url, events: ["call.screened"] });
      assert.deepEqual(ep.events, ["call.screened"]);
      await endpoint({ url: everything.url });
      const caller = freshNumber();
      await t.deliverCall({ from: caller });
      // The unfiltered endpoint has both: the fan-out of this call is done.
      await waitForEvents(everything, caller, CALL_EVENTS);
      const [screened] = await waitForEvents(filtered, caller, ["call.screened"]);
      await quietly();
      assert.deepEqual(about(filtered.requests, caller).map((q) => q.body.type), ["call.screened"]);
      assert.equal(assertSignedDelivery(screened, ep.secret, filtered).type, "call.screened");
    });

    it("retries a delivery answered 500 on fanout.schedule_s with the same webhook-id (3 attempts), logs it dead, and sends it again on POST /api/v1/deliveries/{id}/retry", async () => {
      const r = await receiver("fail");
      const ep = await endpoint({ url: r.url, events: ["call.received"] });
      const caller = freshNumber();
      await t.deliverCall({ from: caller });
      const attempts = await waitForEvents(r, caller, ["call.received"], { count: ATTEMPTS, timeoutMs: 15000 });
      const id = attempts[0].headers["webhook-id"];
      for (const attempt of attempts) {
        assert.equal(attempt.headers["webhook-id"], id, "the same webhook-id on every attempt");
        assert.equal(attempt.rawBody, attempts[0].rawBody, "the same message on every attempt");
        assertSignedDelivery(attempt, ep.secret, r);
      }
      for (let i = 1; i < ATTEMPTS; i++) {
        const gap = attempts[i].at - attempts[i - 1].at;
        assert.ok(gap >= 900, `attempt ${i + 1} came ${gap} ms after attempt ${i}; schedule_s says 1 s`);
      }

      const dead = await waitForLog(
        t,
        token,
        logQuery({ endpoint: ep.id, status: "dead" }),
        (data) => data.find((d) => d.id === id),
        `delivery ${id} dead`,
      );
      assert.equal(dead.endpoint, ep.id);
      assert.equal(dead.event_type, "call.received");
      assert.deepEqual(dead.attempts.map((a) => a.status_code), [500, 500, 500], JSON.stringify(dead));
      // Longer than the schedule's 1 s step after the last attempt: no fourth one comes.
      await sleep(Math.max(0, attempts[ATTEMPTS - 1].at + 1500 - Date.now()));
      assert.equal(about(r.requests, caller).length, ATTEMPTS, "nothing after the last attempt");

      r.setMode("ok");
      const retried = await request(t, "POST", "/api/v1/deliveries/{id}/retry", { token, params: { id } });
      assertOk(retried, 202);
      assertDelivery(retried.json, retried.what);
      assert.equal(retried.json.id, id);
      assert.equal(retried.json.endpoint, ep.id);
      assert.equal(retried.json.status, "pending");
      const again = await waitForEvents(r, caller, ["call.received"], { count: ATTEMPTS + 1 });
      const resent = again[ATTEMPTS];
      assert.equal(resent.headers["webhook-id"], id);
      assert.equal(resent.rawBody, attempts[0].rawBody);
      assertSignedDelivery(resent, ep.secret, r);
      const delivered = await waitForLog(
        t,
        token,
        logQuery({ endpoint: ep.id, status: "delivered" }),
        (data) => data.find((d) => d.id === id),
        `delivery ${id} delivered after the retry`,
      );
      assert.deepEqual(delivered.attempts.map((a) => a.status_code), [500, 500, 500, 200], JSON.stringify(delivered));
    });

    it("an endpoint that never answers holds up neither another endpoint (its events within 2 s) nor the tenant's next webhooks (each answered in under 100 ms)", async () => {
      const hanging = await receiver("hang");
      const healthy = await receiver("ok");
      await endpoint({ url: hanging.url });
      const other = await endpoint({ url: healthy.url });
      const caller = freshNumber();
      const sent = newCall(caller);
      const started = Date.now();
      await t.acknowledged(sent);
      await hanging.waitFor((requests) => about(requests, caller).length >= 1, 10000, "a delivery the hanging endpoint holds");
      for (const delivery of await waitForEvents(healthy, caller, CALL_EVENTS)) {
        const lag = delivery.at - started;
        assert.ok(lag < 2000, `${delivery.body.type} reached the other endpoint ${lag} ms after the call`);
      }
      for (let i = 0; i < 5; i++) {
        const next = newCall(freshNumber());
        const began = performance.now();
        await t.acknowledged(next);
        const elapsed = performance.now() - began;
        assert.ok(elapsed < 100, `webhook ${i} took ${elapsed.toFixed(1)} ms while an endpoint hangs`);
      }
      // Each attempt's duration is its own endpoint's, not the slowest of those sent with it
      // (logged once the hanging one gives up, 10 s on).
      const logged = await waitForLog(
        t,
        token,
        logQuery({ endpoint: other.id, status: "delivered" }),
        (data) => (data.length >= CALL_EVENTS.length ? data : null),
        "the other endpoint's deliveries logged",
        20000,
      );
      for (const delivery of logged) assert.ok(delivery.attempts[0].duration_ms < 2000, JSON.stringify(delivery));
    });

    it("after POST …/secret/rotate, a delivery carries the new and the old signature (v1,<new> v1,<old>), and verifies with either secret", async () => {
      const r = await receiver();
      const ep = await endpoint({ url: r.url, events: ["call.received"] });
      const old = ep.secret;
      const rotated = await request(t, "POST", "/api/v1/endpoints/{id}/secret/rotate", { token, params: { id: ep.id } });
      assertOk(rotated, 200);
      assert.deepEqual(Object.keys(rotated.json), ["secret"], rotated.what);
      const fresh = rotated.json.secret;
      assert.match(fresh, SECRET);
      assert.notEqual(fresh, old, "a new secret");
      const shown = await request(t, "GET", "/api/v1/endpoints/{id}/secret", { token, params: { id: ep.id } });
      assert.deepEqual(shown.json, { secret: fresh }, "GET …/secret shows the new one");

      const caller = freshNumber();
      await t.deliverCall({ from: caller });
      const [delivery] = await waitForEvents(r, caller, ["call.received"]);
      assert.equal(delivery.headers["webhook-signature"], signatureWith([fresh, old], delivery));
      assert.equal(assertSignedDelivery(delivery, fresh, r).data.from, caller, "verifies with the new secret");
      assert.equal(assertSignedDelivery(delivery, old, r).data.from, caller, "verifies with the old secret");
      const stranger = `whsec_${randomBytes(24).toString("base64")}`;
      assert.throws(() => new Webhook(stranger).verify(delivery.rawBody, delivery.headers), WebhookVerificationError);
    });

    it("POST /api/v1/endpoints/{id}/test answers 202 and delivers frontdesk.test to that endpoint only", async () => {
      const chosen = await receiver();
      const other = await receiver();
      const ep = await endpoint({ url: chosen.url });
      await endpoint({ url: other.url });
      const answer = await request(t, "POST", "/api/v1/endpoints/{id}/test", { token, params: { id: ep.id } });
      assertOk(answer, 202);
      assert.match(answer.json.id ?? "", MESSAGE_ID, answer.what);
      assert.deepEqual(answer.json, { id: answer.json.id, event_type: "frontdesk.test" }, answer.what);
      const delivery = await chosen.waitFor(
        (requests) => requests.find((q) => q.headers["webhook-id"] === answer.json.id),
        10000,
        `frontdesk.test ${answer.json.id}`,
      );
      assert.equal(assertSignedDelivery(delivery, ep.secret, chosen).type, "frontdesk.test");
      await waitForLog(
        t,
        token,
        logQuery({ endpoint: ep.id, event_type: "frontdesk.test" }),
        (data) => data.find((d) => d.id === answer.json.id && d.status === "delivered"),
        "frontdesk.test logged as delivered",
      );
      await quietly();
      assert.deepEqual(other.requests.filter((q) => q.body?.type === "frontdesk.test"), [], "no other endpoint gets it");
    });

    it("keeps endpoints and deliveries to their tenant: another tenant's are 404 and never listed", async () => {
      const r = await receiver();
      const theirs = await endpoint({ url: r.url, description: "globex's" }, globex);
      const probe = await request(t, "POST", "/api/v1/endpoints/{id}/test", { token: globex, params: { id: theirs.id } });
      assertOk(probe, 202);
      await r.waitFor((requests) => requests.some((q) => q.headers["webhook-id"] === probe.json.id), 10000, "globex's test message");

      for (const [method, template, body] of [
        ["GET", "/api/v1/endpoints/{id}"],
        ["GET", "/api/v1/endpoints/{id}/secret"],
        ["PATCH", "/api/v1/endpoints/{id}", { description: "acme's now" }],
        ["POST", "/api/v1/endpoints/{id}/secret/rotate"],
        ["POST", "/api/v1/endpoints/{id}/test"],
        ["DELETE", "/api/v1/endpoints/{id}"],
      ]) {
        assertError(await request(t, method, template, { token, params: { id: theirs.id }, body }), 404, "not_found");
      }
      const retry = await request(t, "POST", "/api/v1/deliveries/{id}/retry", { token, params: { id: probe.json.id } });
      assertError(retry, 404, "not_found");
      const ours = assertList(await request(t, "GET", "/api/v1/endpoints", { token, query: "limit=200" }));
      assert.ok(!ours.data.some((e) => e.id === theirs.id), "not in acme's endpoints");
      const log = assertList(await request(t, "GET", "/api/v1/deliveries", { token, query: "limit=200" }));
      assert.ok(!log.data.some((d) => d.id === probe.json.id || d.endpoint === theirs.id), "not in acme's log");

      const still = await request(t, "GET", "/api/v1/endpoints/{id}", { token: globex, params: { id: theirs.id } });
      assertOk(still, 200);
      const { secret: _secret, ...asCreated } = theirs;
      assert.deepEqual(still.json, asCreated, "globex's endpoint is as it was");
      const secret = await request(t, "GET", "/api/v1/endpoints/{id}/secret", { token: globex, params: { id: theirs.id } });
      assert.deepEqual(secret.json, { secret: theirs.secret }, "its secret was not rotated");
    });
  });

  describe(`${kind}: endpoint input under the default fanout settings`, () => {
    let fake;
    let t;
    let token;
    let reader; // endpoints:read only
    before(async () => {
      fake = await startFakeProvider();
      t = await startApiTarget(kind, { config: fanoutConfig(fake.url) });
      token = (await t.mint({ name: "endpoints", scopes: ENDPOINT_SCOPES })).token;
      reader = (await t.mint({ name: "endpoints reader", scopes: ["endpoints:read"] })).token;
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    // No event reaches these endpoints while they exist: nothing is sent to example.com.
    const PUBLIC_URL = "https://hooks.example.com/frontdesk";
    const post = (body, as = token) => request(t, "POST", "/api/v1/endpoints", { token: as, body });
    const remove = (id) => request(t, "DELETE", "/api/v1/endpoints/{id}", { token, params: { id } });

    it("refuses an http:// URL (fanout.allow_http false) and a missing url with 422 naming url; takes a public https URL", async () => {
      assertInvalid(await post({ url: "http://hooks.example.com/frontdesk" }), "url");
      assertInvalid(await post({ description: "no url" }), "url");
      const created = await createEndpoint(t, token, { url: PUBLIC_URL });
      assert.equal(created.url, PUBLIC_URL);
      assertOk(await remove(created.id), 204);
    });

    it("refuses loopback, private, link-local, metadata and localhost URLs (fanout.allow_private false) with 422 naming url, on POST and on PATCH", async () => {
      const refused = [
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/",
        "https://localhost/hook",
      ];
      for (const url of refused) assertInvalid(await post({ url }), "url");
      const created = await createEndpoint(t, token, { url: PUBLIC_URL });
      try {
        for (const url of refused) {
          const answer = await request(t, "PATCH", "/api/v1/endpoints/{id}", { token, params: { id: created.id }, body: { url } });
          assertInvalid(answer, "url");
        }
        const kept = await request(t, "GET", "/api/v1/endpoints/{id}", { token, params: { id: created.id } });
        assert.equal(kept.json.url, PUBLIC_URL, "a refused PATCH changes nothing");
      } finally {
        await remove(created.id);
      }
    });

    it("refuses an unknown event type with 422 naming events", async () => {
      assertInvalid(await post({ url: PUBLIC_URL, events: ["nope.nothing"] }), "events");
      assertInvalid(await post({ url: PUBLIC_URL, events: ["call.screened", "nope.nothing"] }), "events");
    });

    it("answers 403 forbidden to a token without endpoints:write on every write; endpoints:read still reads", async () => {
      assertError(await post({ url: PUBLIC_URL }, reader), 403, "forbidden");
      const created = await createEndpoint(t, token, { url: PUBLIC_URL });
      try {
        const params = { id: created.id };
        for (const [method, template, body] of [
          ["PATCH", "/api/v1/endpoints/{id}", { description: "x" }],
          ["POST", "/api/v1/endpoints/{id}/secret/rotate"],
          ["POST", "/api/v1/endpoints/{id}/test"],
          ["DELETE", "/api/v1/endpoints/{id}"],
        ]) {
          assertError(await request(t, method, template, { token: reader, params, body }), 403, "forbidden");
        }
        assertList(await request(t, "GET", "/api/v1/endpoints", { token: reader }));
        assertOk(await request(t, "GET", "/api/v1/endpoints/{id}", { token: reader, params }), 200);
        assertList(await request(t, "GET", "/api/v1/deliveries", { token: reader }));
        const kept = await request(t, "GET", "/api/v1/endpoints/{id}/secret", { token, params });
        assert.deepEqual(kept.json, { secret: created.secret }, "the refused rotate changed nothing");
      } finally {
        await remove(created.id);
      }
    });
  });
}
