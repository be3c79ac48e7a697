// Fan-out beyond the basics (docs/fanout.md): a verified delivery of a platform source
// (GitHub here) is relayed to the tenant's endpoints as webhook.received, once; the delivery
// log pages 200 at a time; replay re-sends a window; and deliveries pending at a kill -9 of
// the native server are each delivered once after the restart.
import assert from "node:assert/strict";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { Webhook } from "standardwebhooks";

import { TARGETS, apiConfig, startApiTarget } from "../api/api.mjs";
import { freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { startWebhookReceiver } from "./webhook-receiver.mjs";

const GITHUB_SECRET = "fake-github-webhook-secret-for-fanout-tests";
const PUSH = readFileSync(new URL("../conformance/samples/github/push.payload.json", import.meta.url));

// The API scenarios' configuration with a GitHub source for tenant acme, and `fanout`.
function relayConfig(providerUrl, fanout) {
  const config = apiConfig({ providerUrl, api: { rate_limit: 100000 } });
  config.sources.github = { kind: "github", secrets: ["env:GITHUB_WEBHOOK_SECRET"], tenant: "acme" };
  config.fanout = fanout;
  return config;
}

function githubDelivery(body, { delivery = randomUUID(), secret = GITHUB_SECRET } = {}) {
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return {
    method: "POST",
    path: "/webhooks/github",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": delivery,
      "x-hub-signature-256": signature,
    },
    body,
  };
}

async function createEndpoint(t, token, body) {
  const made = await t.api("POST", "/api/v1/endpoints", { token, body });
  assert.equal(made.status, 201, made.what);
  return made.json;
}

for (const kind of TARGETS) {
  test(`${kind}: a verified GitHub delivery is relayed once as webhook.received, with its payload; a redelivery or a forged one is not`, async () => {
    const fake = await startFakeProvider();
    const receiver = await startWebhookReceiver();
    const t = await startApiTarget(kind, {
      config: relayConfig(fake.url, { allow_http: true, allow_private: true, schedule_s: [0, 1] }),
      env: { GITHUB_WEBHOOK_SECRET: GITHUB_SECRET },
    });
    try {
      const { token } = await t.mint({ scopes: ["endpoints:read", "endpoints:write"] });
      const endpoint = await createEndpoint(t, token, { url: receiver.url, events: ["webhook.received"] });
      const id = randomUUID();
      const first = await t.target.handle(githubDelivery(PUSH, { delivery: id }));
      assert.equal(first.status, 200);
      const [delivery] = await receiver.waitFor((requests) => (requests.length >= 1 ? requests : null), 10000, "the relay");
      const event = new Webhook(endpoint.secret).verify(delivery.rawBody, delivery.headers);
      assert.equal(event.type, "webhook.received");
      assert.equal(event.data.source, "github");
      assert.equal(event.data.provider, "github");
      assert.equal(event.data.type, "platform.push");
      assert.equal(event.data.event_id, id);
      assert.deepEqual(event.data.payload, JSON.parse(PUSH));

      const again = await t.target.handle(githubDelivery(PUSH, { delivery: id }));
      assert.equal(again.status, 200);
      assert.equal(JSON.parse(new TextDecoder().decode(again.body)).duplicate, true);
      const forged = await t.target.handle(githubDelivery(PUSH, { secret: "not-the-secret" }));
      assert.equal(forged.status, 401);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(receiver.requests.length, 1, "one relay, however often GitHub sends it");
      const log = await t.api("GET", "/api/v1/deliveries", { token, query: `endpoint=${endpoint.id}` });
      assert.deepEqual(
        log.json.data.map((entry) => [entry.id, entry.event_type, entry.status, entry.attempts.map((a) => a.status_code)]),
        [[delivery.headers["webhook-id"], "webhook.received", "delivered", [200]]],
      );
    } finally {
      await t.close();
      await receiver.close();
      await fake.close();
    }
  });
}

for (const kind of TARGETS) {
  test(`${kind}: the delivery log answers a full page of 200 deliveries with their attempts`, async () => {
    const fake = await startFakeProvider();
    const receiver = await startWebhookReceiver();
    const t = await startApiTarget(kind, { config: relayConfig(fake.url, { allow_http: true, allow_private: true }) });
    try {
      const { token } = await t.mint({ scopes: ["endpoints:read", "endpoints:write"] });
      await createEndpoint(t, token, { url: receiver.url });
      const calls = 110; // call.received and call.screened each: 220 deliveries
      for (let i = 0; i < calls; i++) {
        await t.acknowledged(signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() }).body));
      }
      await receiver.waitFor((requests) => requests.length >= 2 * calls, 20000, "every delivery");
      const page = await t.api("GET", "/api/v1/deliveries", { token, query: "limit=200&status=delivered" });
      assert.equal(page.status, 200, page.what.slice(0, 300));
      assert.equal(page.json.data.length, 200);
      assert.equal(page.json.has_more, true);
      for (const delivery of page.json.data) assert.deepEqual(delivery.attempts.map((a) => a.status_code), [200], delivery.id);
    } finally {
      await t.close();
      await receiver.close();
      await fake.close();
    }
  });
}

for (const kind of TARGETS) {
  test(`${kind}: replay re-sends a window's events with their original webhook-ids, and to a newer endpoint its filter's`, async () => {
    const fake = await startFakeProvider();
    const first = await startWebhookReceiver();
    const later = await startWebhookReceiver();
    const t = await startApiTarget(kind, { config: relayConfig(fake.url, { allow_http: true, allow_private: true }) });
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const newCall = (from) =>
      t.acknowledged(signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from }).body));
    const from = (request) => request.body?.data?.from;
    try {
      const { token } = await t.mint({ scopes: ["endpoints:read", "endpoints:write"] });
      const a = await createEndpoint(t, token, { url: first.url });
      const start = new Date(Date.now() - 1000).toISOString();
      const [earlier, newer] = [freshNumber(), freshNumber()];
      await newCall(earlier);
      await first.waitFor((requests) => requests.length >= 2, 10000, "the first call's two events");
      await sleep(50);
      const middle = new Date().toISOString();
      await sleep(50);
      await newCall(newer);
      await first.waitFor((requests) => requests.length >= 4, 10000, "the second call's two events");
      const originals = first.requests.filter((r) => from(r) === earlier).map((r) => r.headers["webhook-id"]);
      assert.equal(originals.length, 2);

      const replay = await t.api("POST", `/api/v1/endpoints/${a.id}/replay`, { token, body: { since: start, until: middle } });
      assert.equal(replay.status, 202, replay.what);
      assert.deepEqual(replay.json, { replayed: 2 });
      await first.waitFor((requests) => requests.length >= 6, 10000, "the replayed events");
      const again = first.requests.slice(4);
      assert.deepEqual(again.map(from), [earlier, earlier], "only the window's call");
      assert.deepEqual(again.map((r) => r.headers["webhook-id"]).sort(), [...originals].sort(), "their original ids");
      for (const request of again) new Webhook(a.secret).verify(request.rawBody, request.headers);

      const b = await createEndpoint(t, token, { url: later.url, events: ["call.received"] });
      const all = await t.api("POST", `/api/v1/endpoints/${b.id}/replay`, { token, body: { since: start } });
      assert.deepEqual(all.json, { replayed: 2 }, all.what);
      await later.waitFor((requests) => requests.length >= 2, 10000, "both calls' call.received");
      assert.deepEqual(later.requests.map((r) => [r.body.type, from(r)]), [
        ["call.received", earlier],
        ["call.received", newer],
      ]);
      for (const request of later.requests) assert.ok(!originals.includes(request.headers["webhook-id"]));

      const noSince = await t.api("POST", `/api/v1/endpoints/${a.id}/replay`, { token, body: {} });
      assert.equal(noSince.status, 422, noSince.what);
      assert.match(noSince.json.error.message, /^since: /);
      const backwards = await t.api("POST", `/api/v1/endpoints/${a.id}/replay`, { token, body: { since: middle, until: start } });
      assert.equal(backwards.status, 422, backwards.what);
      assert.match(backwards.json.error.message, /^until: /);
      const unknown = await t.api("POST", "/api/v1/endpoints/ep_0000000000000000/replay", { token, body: { since: start } });
      assert.equal(unknown.status, 404, unknown.what);
    } finally {
      await t.close();
      await first.close();
      await later.close();
      await fake.close();
    }
  });
}

test("native: deliveries pending at kill -9 are each delivered once after the restart, 5 rounds", async () => {
  if (!TARGETS.includes("native")) return;
  const fake = await startFakeProvider();
  const receiver = await startWebhookReceiver({ mode: "fail" });
  const dir = await mkdtemp(join(tmpdir(), "frontdesk-fanout-kill-"));
  const db = join(dir, "frontdesk.db");
  // Enough quick attempts that nothing is dead before the restart.
  const fanout = { allow_http: true, allow_private: true, schedule_s: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] };
  const config = relayConfig(fake.url, fanout);
  const env = { GITHUB_WEBHOOK_SECRET: GITHUB_SECRET };
  let token;
  let expected = 0;
  try {
    for (let round = 0; round < 5; round++) {
      receiver.setMode("fail");
      const t = await startApiTarget("native", { config, env, db });
      if (!token) {
        token = (await t.mint({ scopes: ["endpoints:read", "endpoints:write"] })).token;
        await createEndpoint(t, token, { url: receiver.url, events: ["call.received", "call.screened"] });
      }
      for (let i = 0; i < 3; i++) {
        const call = signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() }).body);
        await t.acknowledged(call);
      }
      expected += 6;
      // A random moment while the receiver refuses them (nothing is delivered yet).
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300)));
      await t.target.kill();
      receiver.setMode("ok");
      const restarted = await startApiTarget("native", { config, env, db });
      try {
        await restarted.waitForLedger(
          { op: "list_deliveries", status: "pending", limit: 1000 },
          (reply) => reply.deliveries.length === 0,
          15000,
          `round ${round}: every pending delivery sent after the restart`,
        );
      } finally {
        await restarted.close();
      }
    }
    const delivered = new Map();
    for (const request of receiver.requests) {
      if (request.answeredWith !== "ok") continue;
      const id = request.headers["webhook-id"];
      delivered.set(id, (delivered.get(id) ?? 0) + 1);
    }
    assert.equal(delivered.size, expected, `${delivered.size} of ${expected} deliveries arrived`);
    for (const [id, times] of delivered) assert.equal(times, 1, `${id} was delivered ${times} times`);
  } finally {
    await receiver.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
});
