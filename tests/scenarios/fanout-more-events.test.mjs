// The fan-out events of what the API and the outbound queue do (docs/fanout.md, "Event
// catalog"): a text sent (through the API, or as an auto-reply), a registry or list edit with
// its actor, and a provider command that became a dead letter. On both targets, each
// delivery verified with the standardwebhooks package.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Webhook } from "standardwebhooks";

import { TARGETS, apiConfig, startApiTarget } from "../api/api.mjs";
import { OUR_NUMBER, freshNumber } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { startWebhookReceiver } from "./webhook-receiver.mjs";

const URGENT = "URGENT: the pipe burst, please call back";

// One target with an endpoint taking `events`, a receiver behind it, and the fake provider.
async function withEndpoint(kind, events, run, { outbound, receiverMode = "ok" } = {}) {
  const fake = await startFakeProvider();
  const receiver = await startWebhookReceiver({ mode: receiverMode });
  const config = apiConfig({ providerUrl: fake.url, api: { rate_limit: 100000 } });
  config.fanout = { allow_http: true, allow_private: true };
  if (outbound) config.outbound = outbound;
  const t = await startApiTarget(kind, { config });
  try {
    const admin = await t.mint({ name: "admin", scopes: ["endpoints:read", "endpoints:write", "messages:write", "registry:write"] });
    const made = await t.api("POST", "/api/v1/endpoints", { token: admin.token, body: { url: receiver.url, events } });
    assert.equal(made.status, 201, made.what);
    // Each delivery, verified, as the event it carries.
    const events_ = async (count, what) => {
      const requests = await receiver.waitFor((all) => (all.length >= count ? all : null), 10000, what);
      return requests.map((request) => new Webhook(made.json.secret).verify(request.rawBody, request.headers));
    };
    await run({ t, fake, admin, events: events_, receiver });
  } finally {
    await t.close();
    await receiver.close();
    await fake.close();
  }
}

for (const kind of TARGETS) {
  test(`${kind}: a text sent through the API delivers message.sent with its id, from, to and text`, async () => {
    await withEndpoint(kind, ["message.sent"], async ({ t, admin, events }) => {
      const to = freshNumber();
      const sent = await t.api("POST", "/api/v1/messages", { token: admin.token, body: { to, text: "Your table is ready" } });
      assert.equal(sent.status, 202, sent.what);
      const [event] = await events(1, "message.sent");
      assert.equal(event.type, "message.sent");
      assert.deepEqual(event.data, {
        message_id: sent.json.id,
        from: OUR_NUMBER,
        to,
        text: "Your table is ready",
        provider: "openphone",
        auto_reply: false,
        in_reply_to: null,
      });
    });
  });

  test(`${kind}: an urgent text delivers message.received and then message.sent for its auto-reply`, async () => {
    await withEndpoint(kind, ["message.received", "message.sent"], async ({ t, events }) => {
      const from = freshNumber();
      await t.text({ from, text: URGENT });
      const [first, second] = await events(2, "message.received and message.sent");
      assert.equal(first.type, "message.received");
      assert.equal(first.data.from, from);
      assert.equal(first.data.priority, "urgent");
      assert.equal(first.data.auto_reply, true);
      assert.equal(second.type, "message.sent");
      assert.equal(second.data.auto_reply, true);
      assert.equal(second.data.in_reply_to, first.data.message_id);
      assert.equal(second.data.to, from);
      assert.equal(second.data.from, OUR_NUMBER);
      assert.equal(typeof second.data.text, "string");
      assert.ok(second.data.text.length > 0);
    });
  });

  test(`${kind}: registry and list edits deliver registry.changed with the change and its actor`, async () => {
    await withEndpoint(kind, ["registry.changed"], async ({ t, admin, events }) => {
      const phone = freshNumber();
      const path = `/api/v1/registry/${encodeURIComponent(phone)}`;
      assert.equal((await t.api("PUT", path, { token: admin.token, body: { namespace: "carol.x" } })).status, 200);
      assert.equal((await t.api("PUT", `/api/v1/lists/block/${encodeURIComponent(phone)}`, { token: admin.token })).status, 200);
      assert.equal((await t.api("DELETE", path, { token: admin.token })).status, 204);
      const changes = await events(3, "three registry.changed");
      assert.deepEqual(
        changes.map((event) => [event.type, event.data.change, event.data.phone, event.data.namespace ?? event.data.list ?? null]),
        [
          ["registry.changed", "registry.put", phone, "carol.x"],
          ["registry.changed", "block.put", phone, "block"],
          ["registry.changed", "registry.delete", phone, null],
        ],
      );
      for (const event of changes) assert.equal(event.data.actor, admin.id);
    });
  });

  test(`${kind}: a provider command that becomes a dead letter delivers outbound.dead`, async () => {
    const outbound = { max_attempts: 1, base_delay_ms: 100, max_delay_ms: 100 };
    await withEndpoint(
      kind,
      ["outbound.dead"],
      async ({ t, fake, admin, events }) => {
        fake.setMode("down");
        const sent = await t.api("POST", "/api/v1/messages", { token: admin.token, body: { to: freshNumber(), text: "Hi" } });
        assert.equal(sent.status, 202, sent.what);
        const [event] = await events(1, "outbound.dead");
        assert.equal(event.type, "outbound.dead");
        assert.equal(event.data.provider, "openphone");
        assert.equal(event.data.attempts, 1);
        assert.equal(event.data.last_status, 503);
        assert.match(event.data.last_error, /^HTTP 503/);
        assert.equal(event.data.message_key, `api:${sent.json.id}`);
        assert.equal(typeof event.data.command_id, "string");
      },
      { outbound },
    );
  });
}

// Standard Webhooks senders wait 15 s for an answer (docs/fanout.md, "Retries"): an endpoint
// answering after 12 s is delivered on its first attempt, not retried.
for (const kind of TARGETS) {
  test(`${kind}: an endpoint that answers after 12 s is delivered at the first attempt (15 s timeout)`, async () => {
    await withEndpoint(
      kind,
      ["frontdesk.test"],
      async ({ t, admin }) => {
        const endpoint = (await t.api("GET", "/api/v1/endpoints", { token: admin.token })).json.data[0];
        const sent = await t.api("POST", `/api/v1/endpoints/${endpoint.id}/test`, { token: admin.token });
        assert.equal(sent.status, 202, sent.what);
        const deadline = Date.now() + 20_000;
        let delivery;
        while (Date.now() < deadline) {
          const listed = await t.api("GET", "/api/v1/deliveries", { token: admin.token, query: `endpoint=${endpoint.id}` });
          delivery = listed.json.data.find((d) => d.id === sent.json.id);
          if (delivery?.status === "delivered") break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        assert.equal(delivery?.status, "delivered", JSON.stringify(delivery));
        assert.equal(delivery.attempts.length, 1, JSON.stringify(delivery.attempts));
        assert.equal(delivery.attempts[0].status_code, 200);
        assert.ok(delivery.attempts[0].duration_ms >= 11_500, `waited ${delivery.attempts[0].duration_ms} ms`);
      },
      { receiverMode: "slow" },
    );
  });
}
