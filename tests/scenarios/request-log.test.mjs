// The native server's request log (issue "The native host at disk speed", operable logs):
// one JSON line per request on stdout with its request id (also the X-Request-Id answer
// header, or the client's own), what the core learned of a delivery (source, tenant,
// event_id, outcome) and, for a refusal, its error code and message — never a secret.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { createNativeTarget } from "../js/native-target.mjs";
import { freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { receptionConfig, receptionEnv } from "./targets.mjs";

const header = (response, name) => response.headers.find(([key]) => key === name)?.[1];
const text = (response) => new TextDecoder().decode(response.body);

describe("native request log", () => {
  let target;
  before(async () => {
    target = await createNativeTarget({ config: receptionConfig({ providerUrl: "http://127.0.0.1:9" }), env: receptionEnv() });
  });
  after(async () => target?.close());

  // The log line of the request answered with this X-Request-Id: written before the answer,
  // but stdout's pipe may bring it a little after the answer's socket does.
  const lineOf = async (requestId) => {
    const deadline = Date.now() + 3000;
    for (;;) {
      const lines = target.log.map((line) => JSON.parse(line)).filter((entry) => entry.request_id === requestId);
      if (lines.length > 0 || Date.now() > deadline) {
        assert.equal(lines.length, 1, `one line for ${requestId} in:\n${target.log.join("\n")}`);
        return lines[0];
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it("a delivery's line names its source, tenant, event and outcome; its retry says duplicate", async () => {
    const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() });
    const first = await target.handle(signedTelnyx(event.body));
    assert.equal(first.status, 200, text(first));
    const eventId = JSON.parse(text(first)).event_id;
    const requestId = header(first, "x-request-id");
    assert.match(requestId, /^req_[0-9a-f]{16}$/);
    const entry = await lineOf(requestId);
    assert.deepEqual(
      { ...entry, ts: undefined, duration_ms: undefined },
      {
        ts: undefined,
        level: "info",
        request_id: requestId,
        method: "POST",
        path: "/webhooks/telnyx",
        status: 200,
        duration_ms: undefined,
        source: "telnyx",
        tenant: "acme",
        event_id: eventId,
        outcome: "verified",
      },
    );
    assert.match(entry.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(typeof entry.duration_ms, "number");

    const again = await target.handle(signedTelnyx(event.body));
    const retry = await lineOf(header(again, "x-request-id"));
    assert.equal(retry.outcome, "duplicate");
    assert.equal(retry.event_id, eventId);
  });

  it("a refusal's line says what failed and why, without the signature", async () => {
    const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() });
    const signed = signedTelnyx(event.body);
    const forged = { ...signed, headers: { ...signed.headers, "x-request-id": "client-chosen.id_1" } };
    forged.body = new TextEncoder().encode(event.body.replace("call.initiated", "call.hangup"));
    const refused = await target.handle(forged);
    assert.equal(refused.status, 401, text(refused));
    assert.equal(header(refused, "x-request-id"), "client-chosen.id_1");
    const entry = await lineOf("client-chosen.id_1");
    assert.equal(entry.level, "warn");
    assert.equal(entry.status, 401);
    assert.equal(entry.source, "telnyx");
    assert.equal(entry.error, "bad_signature");
    assert.equal(typeof entry.message, "string");
    assert.ok(entry.message.length > 0);
    const signature = signed.headers["telnyx-signature-ed25519"];
    assert.ok(signature, "the delivery is signed");
    assert.ok(!target.log.join("\n").includes(signature), "no signature in the log");
  });
});
