// Calls through the reception pipeline (docs/reception.md "A call event", "Acting on a
// decision"), on the native server and the Worker: what the webhook answers, which Telnyx
// commands reach the provider (once each), and the state the ledger keeps.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import {
  BLOCKED,
  REGISTERED,
  freshNumber,
  newCallControlId,
  newCallSid,
  signedTelnyx,
  signedTwilioVoice,
  telnyxCallEvent,
} from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import {
  FORWARD_TO,
  REJECT_MESSAGE,
  TARGETS,
  TELNYX_API_KEY,
  forCall,
  quietly,
  receptionConfig,
  startTarget,
} from "./targets.mjs";

const TWIML = '<?xml version="1.0" encoding="UTF-8"?>';
const mediaType = (contentType) => contentType.split(";")[0].trim().toLowerCase();

// Delivers a Telnyx call event and expects it acknowledged as new.
async function telnyxEvent(t, fields) {
  const event = telnyxCallEvent(fields);
  const ack = await t.acknowledged(signedTelnyx(event.body));
  assert.equal(ack.duplicate, false, `${fields.type} is new`);
  return { ...event, ack };
}

// A Telnyx command as the contract wants it on the wire.
function assertTelnyxCommand(request, action) {
  assert.equal(request.method, "POST");
  assert.equal(request.action, action);
  assert.equal(request.headers.authorization, `Bearer ${TELNYX_API_KEY}`);
  assert.match(request.headers["content-type"] ?? "", /^application\/json/);
  assert.equal(typeof request.body?.command_id, "string", `${action} carries a command_id: ${request.rawBody}`);
  assert.ok(request.body.command_id.length > 0);
  assert.equal(Buffer.from(request.body.client_state ?? "", "base64").toString(), "frontdesk:acme", "client_state");
}

for (const kind of TARGETS) {
  describe(`${kind}: Telnyx calls under known-only screening`, () => {
    let fake;
    let t;
    before(async () => {
      fake = await startFakeProvider();
      t = await startTarget(kind, { config: receptionConfig({ providerUrl: fake.url }) });
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    it("answers a registered caller with exactly one answer command (Bearer key, command_id)", async () => {
      const ccid = newCallControlId();
      await telnyxEvent(t, { type: "call.initiated", ccid, from: REGISTERED });
      await t.delivered(forCall(ccid));
      await quietly();
      const commands = fake.telnyxCommands(ccid);
      assert.deepEqual(commands.map((c) => c.action), ["answer"]);
      assertTelnyxCommand(commands[0], "answer");
      const [call] = await t.callsWithId(ccid);
      assert.equal(call.from, REGISTERED);
    });

    it("answers an unknown caller, speaks the reject message, and hangs up only after call.speak.ended", async () => {
      const ccid = newCallControlId();
      const caller = freshNumber();
      await telnyxEvent(t, { type: "call.initiated", ccid, from: caller });
      await t.delivered(forCall(ccid), 2);
      await quietly();
      let commands = fake.telnyxCommands(ccid);
      assert.deepEqual(commands.map((c) => c.action), ["answer", "speak"], "speak never overtakes answer; no hangup yet");
      assertTelnyxCommand(commands[0], "answer");
      assertTelnyxCommand(commands[1], "speak");
      const { command_id: speakId, client_state: clientState, ...speak } = commands[1].body;
      assert.deepEqual(speak, { payload: REJECT_MESSAGE, voice: "female", language: "en-US" });
      assert.notEqual(speakId, commands[0].body.command_id, "each command has its own id");
      assert.equal(Buffer.from(clientState, "base64").toString(), "frontdesk:acme", "the tenant rides on client_state");

      await telnyxEvent(t, { type: "call.speak.ended", ccid, clientState });
      await t.delivered(forCall(ccid), 3);
      await quietly();
      commands = fake.telnyxCommands(ccid);
      assert.deepEqual(commands.map((c) => c.action), ["answer", "speak", "hangup"]);
      assertTelnyxCommand(commands[2], "hangup");
      const [call] = await t.callsWithId(ccid);
      assert.equal(call.state, "rejected");
    });

    it("rejects a blocked caller with reject {cause: CALL_REJECTED} and never answers", async () => {
      const ccid = newCallControlId();
      await telnyxEvent(t, { type: "call.initiated", ccid, from: BLOCKED });
      await t.delivered(forCall(ccid));
      await quietly();
      const commands = fake.telnyxCommands(ccid);
      assert.deepEqual(commands.map((c) => c.action), ["reject"]);
      assertTelnyxCommand(commands[0], "reject");
      assert.equal(commands[0].body.cause, "CALL_REJECTED");
      const [call] = await t.callsWithId(ccid);
      assert.equal(call.state, "rejected");
    });

    it("treats a second delivery of the same call.initiated as a duplicate: same event_id, one command, one call", async () => {
      const ccid = newCallControlId();
      const first = await telnyxEvent(t, { type: "call.initiated", ccid, from: REGISTERED });
      const again = await t.acknowledged(signedTelnyx(first.body));
      assert.deepEqual(again, { ok: true, event_id: first.ack.event_id, duplicate: true });
      await t.delivered(forCall(ccid));
      await quietly();
      assert.deepEqual(fake.telnyxCommands(ccid).map((c) => c.action), ["answer"]);
      const queued = (await t.allOutbound()).filter(forCall(ccid));
      assert.equal(queued.length, 1, `one queued command: ${JSON.stringify(queued)}`);
      assert.equal((await t.callsWithId(ccid)).length, 1);
    });
  });

  describe(`${kind}: Telnyx call state from events in any order`, () => {
    let fake;
    let t;
    before(async () => {
      fake = await startFakeProvider();
      t = await startTarget(kind, { config: receptionConfig({ providerUrl: fake.url }) });
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    const start = Date.now() - 60_000;
    const at = (seconds) => new Date(start + seconds * 1000);

    // Delivers one call's events ([type, second], in the order given) and answers the one
    // call they make's final state.
    async function stateAfter(events, caller = REGISTERED) {
      const ccid = newCallControlId();
      for (const [type, second] of events) {
        await telnyxEvent(t, { type, ccid, from: caller, occurredAt: at(second) });
      }
      const calls = await t.callsWithId(ccid);
      assert.equal(calls.length, 1);
      return calls[0].state;
    }

    it("ends completed when answered then hung up", async () => {
      const events = [["call.initiated", 0], ["call.answered", 2], ["call.hangup", 30]];
      assert.equal(await stateAfter(events), "completed");
    });

    it("ends completed when the hangup is delivered before the answer", async () => {
      const events = [["call.initiated", 0], ["call.hangup", 30], ["call.answered", 2]];
      assert.equal(await stateAfter(events), "completed");
    });

    it("ends missed when hung up without any answer", async () => {
      assert.equal(await stateAfter([["call.initiated", 0], ["call.hangup", 20]]), "missed");
    });

    it("keeps a rejected call rejected through its answer and hangup", async () => {
      const events = [["call.initiated", 0], ["call.answered", 1], ["call.hangup", 9]];
      assert.equal(await stateAfter(events, freshNumber()), "rejected");
    });
  });

  describe(`${kind}: calls under a policy with forward_to`, () => {
    let fake;
    let t;
    before(async () => {
      fake = await startFakeProvider();
      t = await startTarget(kind, { config: receptionConfig({ providerUrl: fake.url, forwardTo: true }) });
    });
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    const twilio = async (fields) => {
      const response = await t.deliver(signedTwilioVoice(fields));
      assert.equal(response.status, 200, response.text);
      assert.equal(mediaType(response.contentType), "text/xml");
      return response.text;
    };

    it("Twilio: dials forward_to for a registered caller", async () => {
      const twiml = await twilio({ callSid: newCallSid(), from: REGISTERED });
      assert.equal(twiml, `${TWIML}<Response><Dial>${FORWARD_TO}</Dial></Response>`);
    });

    it("Twilio: says the reject message (XML-escaped) and hangs up on an unknown caller", async () => {
      const twiml = await twilio({ callSid: newCallSid(), from: freshNumber() });
      const escaped = REJECT_MESSAGE.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
      assert.equal(twiml, `${TWIML}<Response><Say>${escaped}</Say><Hangup/></Response>`);
    });

    it("Twilio: rejects a blocked caller", async () => {
      const callSid = newCallSid();
      const twiml = await twilio({ callSid, from: BLOCKED });
      assert.equal(twiml, `${TWIML}<Response><Reject/></Response>`);
      const [call] = await t.callsWithId(callSid);
      assert.equal(call.state, "rejected");
    });

    it("Twilio: a repeated ringing webhook gets the stored decision back, and the call is kept once", async () => {
      const callSid = newCallSid();
      const first = await twilio({ callSid, from: REGISTERED });
      const again = await twilio({ callSid, from: REGISTERED });
      assert.equal(again, first);
      assert.equal((await t.callsWithId(callSid)).length, 1);
    });

    it("Telnyx: transfers a registered caller to forward_to instead of answering", async () => {
      const ccid = newCallControlId();
      await telnyxEvent(t, { type: "call.initiated", ccid, from: REGISTERED });
      await t.delivered(forCall(ccid));
      await quietly();
      const commands = fake.telnyxCommands(ccid);
      assert.deepEqual(commands.map((c) => c.action), ["transfer"]);
      assertTelnyxCommand(commands[0], "transfer");
      assert.equal(commands[0].body.to, FORWARD_TO);
    });
  });
}
