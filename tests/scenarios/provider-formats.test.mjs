// The providers' other shapes reach the tenant's policy (docs/reception.md "From a delivery
// to events"): an OpenPhone app-webhook call (from/to as strings) and a Quo 2026-03-30 call
// (numbers in data.context.participants) are screened by acme's policy, not the default
// ledger's; an OpenPhone group text is recorded with every recipient; a Twilio Event
// Streams batch records each of its events; a transcript attaches to its call with the
// analysis a text gets. On the native server and the Worker.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import { signRequest } from "../conformance/signing.mjs";
import {
  OUR_NUMBER,
  REGISTERED,
  TWILIO_PUBLIC_URL,
  freshNumber,
  openPhoneTextReceived,
  signedOpenPhone,
} from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { TARGETS, receptionConfig, startTarget } from "./targets.mjs";

const hex = () => randomUUID().replaceAll("-", "");
const json = (value) => new TextEncoder().encode(JSON.stringify(value));

// OpenPhone's app webhooks: a call's from and to are plain strings.
const appWebhookCall = ({ callId, from }) => ({
  id: `EV${hex()}`,
  object: "event",
  apiVersion: "v3",
  createdAt: new Date().toISOString(),
  type: "call.ringing",
  data: {
    object: {
      id: callId,
      object: "call",
      answeredAt: null,
      completedAt: null,
      createdAt: new Date().toISOString(),
      direction: "incoming",
      from,
      to: OUR_NUMBER,
      media: [],
      status: "ringing",
      userId: "USfake0001",
      phoneNumberId: "PNfake0001",
    },
  },
});

// Quo's 2026-03-30 generation: the call under data.resource, its numbers in data.context.
const quoCall = ({ callId, from }) => ({
  id: `EV${hex()}`,
  apiVersion: "2026-03-30",
  createdAt: new Date().toISOString(),
  type: "call.ringing",
  data: {
    resource: { id: callId, direction: "incoming", status: "ringing", createdAt: new Date().toISOString() },
    context: {
      phoneNumberId: "PNfake0001",
      participants: { workspace: [OUR_NUMBER], external: [from], resolution: "available" },
      contacts: { ids: [], lookupStatus: "none" },
    },
    links: { quo: null },
  },
});

const signedQuo = (text) =>
  signRequest(
    {
      method: "POST",
      path: "/webhooks/quo",
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode(text),
    },
    { scheme: "standard", secret: "quo-test-secret", id: `msg_${hex()}` },
  );

for (const kind of TARGETS) {
  describe(`${kind}: the providers' other shapes`, () => {
    let fake;
    let t;
    before(async () => {
      fake = await startFakeProvider();
      const config = receptionConfig({ providerUrl: fake.url });
      config.sources.quo = { kind: "standard", secrets: ["env:QUO_WEBHOOK_SECRET"] };
      // OpenPhone's transcripts carry only the call's id: the workspace's source names its tenant.
      config.sources.openphone.tenant = "acme";
      t = await startTarget(kind, { config });
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    const callIn = async (callId, tenant = "acme") =>
      (await t.ledger({ op: "list_calls", limit: 1000 }, tenant)).calls.find((c) => c.provider_call_id === callId);

    for (const [shape, build, sign] of [
      ["an OpenPhone app-webhook call (from/to strings)", appWebhookCall, signedOpenPhone],
      ["a Quo 2026-03-30 call (data.context.participants)", quoCall, signedQuo],
    ]) {
      it(`${shape} is screened by the tenant's policy`, async () => {
        const stranger = `AC${hex()}`;
        const known = `AC${hex()}`;
        const caller = freshNumber();
        assert.equal((await t.acknowledged(sign(JSON.stringify(build({ callId: stranger, from: caller }))))).duplicate, false);
        assert.equal((await t.acknowledged(sign(JSON.stringify(build({ callId: known, from: REGISTERED }))))).duplicate, false);
        // known-only: the stranger is rejected, the registered caller let through.
        const rejected = await callIn(stranger);
        assert.ok(rejected, "the call is in acme's ledger");
        assert.equal(rejected.from, caller);
        assert.equal(rejected.to, OUR_NUMBER);
        assert.equal(rejected.decision.outcome, "rejected");
        const admitted = await callIn(known);
        assert.equal(admitted.decision.outcome, "authenticated");
        assert.equal(await callIn(stranger, "default"), undefined, "nothing in the default ledger");
      });
    }

    it("a call's transcript attaches to it and is read as a text is: the call shows its sentiment", async () => {
      const callId = `AC${hex()}`;
      const words = "URGENT: my pipe burst and the basement is flooding, this is terrible";
      assert.equal((await t.acknowledged(signedOpenPhone(JSON.stringify(appWebhookCall({ callId, from: REGISTERED }))))).duplicate, false);
      const transcript = {
        id: `EV${hex()}`,
        object: "event",
        apiVersion: "v4",
        createdAt: new Date().toISOString(),
        type: "callTranscript",
        data: {
          object: {
            callId,
            object: "callTranscript",
            createdAt: new Date().toISOString(),
            dialogue: [{ content: words, start: 0.5, end: 4.2, identifier: REGISTERED, userId: null }],
            duration: 4,
            status: "completed",
          },
        },
      };
      const ack = await t.acknowledged(signedOpenPhone(JSON.stringify(transcript)));
      const call = await callIn(callId);
      assert.equal(call.transcript.provider_event_id, transcript.id);
      assert.equal(call.transcript.text, words);
      // The same words as a text get the same analysis.
      const text = await t.acknowledged(signedOpenPhone(openPhoneTextReceived({ from: freshNumber(), text: words }).body));
      const { messages } = await t.ledger({ op: "list_messages", limit: 1 });
      assert.equal(messages[0].event_id, text.event_id);
      assert.deepEqual(call.analysis, messages[0].analysis);
      assert.equal(call.analysis.sentiment, "negative");
      assert.equal(call.analysis.priority, "urgent");
      assert.ok(ack.event_id);
    });

    it("an OpenPhone group text is recorded with every recipient", async () => {
      const sender = freshNumber();
      const other = freshNumber();
      const body = JSON.stringify({
        id: `EV${hex()}`,
        object: "event",
        apiVersion: "v2",
        createdAt: new Date().toISOString(),
        type: "message.received",
        data: {
          object: {
            id: `AC${hex()}`,
            object: "message",
            from: sender,
            to: `${other},${OUR_NUMBER}`,
            direction: "incoming",
            body: "Are we still on for Friday?",
            status: "received",
            createdAt: new Date().toISOString(),
          },
        },
      });
      const ack = await t.acknowledged(signedOpenPhone(body));
      assert.equal(ack.duplicate, false);
      const { events } = await t.ledger({ op: "list_events", limit: 1 });
      assert.equal(events[0].event_id, ack.event_id);
      assert.deepEqual(events[0].recipients, [other, OUR_NUMBER]);
      assert.equal(events[0].to, OUR_NUMBER);
      const { messages } = await t.ledger({ op: "list_messages", limit: 1 });
      assert.equal(messages[0].event_id, ack.event_id);
      assert.equal(messages[0].from, sender);
      assert.deepEqual(messages[0].recipients, [other, OUR_NUMBER]);
    });

    it("a Twilio Event Streams batch of three CloudEvents records three events", async () => {
      const sid = `SM${hex()}`;
      const to = freshNumber();
      const cloud = (type, status) => ({
        specversion: "1.0",
        type: `com.twilio.messaging.message.${type}`,
        source: `/2010-04-01/Accounts/ACfake/Messages/${sid}.json`,
        id: `EZ${hex()}`,
        datacontenttype: "application/json",
        time: new Date().toISOString(),
        data: { messageSid: sid, from: OUR_NUMBER, to, messageStatus: status },
      });
      const batch = [cloud("queued", "QUEUED"), cloud("sent", "SENT"), cloud("delivered", "DELIVERED")];
      const request = signRequest(
        { method: "POST", path: "/webhooks/twilio", headers: { "content-type": "application/json" }, body: json(batch) },
        { scheme: "twilio", secret: "twilio-fake-test-token", url: TWILIO_PUBLIC_URL },
      );
      const answer = await t.deliver(request);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.json.events.length, 3, answer.text);
      assert.ok(answer.json.events.every((e) => e.duplicate === false), answer.text);
      const { events } = await t.ledger({ op: "list_events", limit: 3 });
      assert.deepEqual(
        events.map((e) => [e.event_id, e.provider_event_id, e.type, e.message_id]).reverse(),
        batch.map((c, i) => [answer.json.events[i].event_id, c.id, `message.${["queued", "sent", "delivered"][i]}`, sid]),
      );
      const again = await t.deliver(request);
      assert.deepEqual(again.json.events, answer.json.events.map((e) => ({ ...e, duplicate: true })));
    });
  });
}
