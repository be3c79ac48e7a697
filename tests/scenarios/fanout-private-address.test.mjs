// An endpoint's host is judged again when a delivery goes (docs/fanout.md, "Endpoints"):
// natively, a host that resolves to a private address gets no connection once
// fanout.allow_private is false, whatever it was when the endpoint was made. (At the edge a
// Worker's fetch never reaches private addresses: the platform's network refuses them.)
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { apiConfig, startApiTarget } from "../api/api.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { TARGETS } from "./targets.mjs";
import { startWebhookReceiver } from "./webhook-receiver.mjs";

test("native: a delivery to a host resolving to a private address is refused unless allow_private", { skip: !TARGETS.includes("native") }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "frontdesk-private-"));
  const db = join(dir, "frontdesk.db");
  const fake = await startFakeProvider();
  const receiver = await startWebhookReceiver();
  const config = apiConfig({ providerUrl: fake.url });
  config.fanout = { allow_http: true, allow_private: true, schedule_s: [0] };
  let t = await startApiTarget("native", { config, db });
  try {
    const admin = (await t.mint({ name: "admin", scopes: ["endpoints:read", "endpoints:write"] })).token;
    // "localhost" is refused by name; a name the resolver maps to 127.0.0.1 is the case to
    // catch, and the numeric address stored while private hosts were allowed stands for it.
    const made = await t.api("POST", "/api/v1/endpoints", { token: admin, body: { url: receiver.url } });
    assert.equal(made.status, 201, made.what);
    await t.close();

    config.fanout = { ...config.fanout, allow_private: false };
    t = await startApiTarget("native", { config, db });
    const sent = await t.api("POST", `/api/v1/endpoints/${made.json.id}/test`, { token: admin });
    assert.equal(sent.status, 202, sent.what);
    let delivery;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const listed = await t.api("GET", "/api/v1/deliveries", { token: admin, query: `endpoint=${made.json.id}` });
      delivery = listed.json.data.find((d) => d.id === sent.json.id);
      if (delivery?.status === "dead") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(delivery?.status, "dead", JSON.stringify(delivery));
    assert.equal(delivery.attempts.length, 1);
    assert.equal(delivery.attempts[0].status_code, null);
    assert.match(delivery.attempts[0].error, /refused: 127\.0\.0\.1 resolves to the private address 127\.0\.0\.1/);
    assert.equal(receiver.requests.length, 0, "the receiver was never connected to");
  } finally {
    await t?.close();
    await receiver.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
});
