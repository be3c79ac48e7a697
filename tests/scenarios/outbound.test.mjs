// The outbound queue when the provider's API fails (docs/reception.md "Outbound queue"):
// the webhook never waits for it, failures are retried with backoff under the same
// command_id, and what cannot be delivered ends a dead letter. Configured with
// max_attempts 3, base_delay_ms 200, max_delay_ms 1000.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { REGISTERED, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { OUTBOUND, TARGETS, TELNYX_API_KEY, forCall, quietly, receptionConfig, startTarget } from "./targets.mjs";

// Timers and alarms may fire a little late, never early; this much slack covers clocks
// read at millisecond granularity on both sides.
const CLOCK_SLACK_MS = 25;

for (const kind of TARGETS) {
  describe(`${kind}: provider API failures`, () => {
    let fake;
    let t;
    before(async () => {
      fake = await startFakeProvider();
      t = await startTarget(kind, { config: receptionConfig({ providerUrl: fake.url }) });
    });
    afterEach(() => fake?.setMode("up"));
    after(async () => {
      await t?.close();
      await fake?.close();
    });

    // A registered caller's call.initiated: its one command is `answer`.
    const registeredCall = async () => {
      const ccid = newCallControlId();
      const event = telnyxCallEvent({ type: "call.initiated", ccid, from: REGISTERED });
      const ack = await t.acknowledged(signedTelnyx(event.body));
      assert.equal(ack.duplicate, false);
      return { ccid, ack };
    };
    const answersFor = (ccid) => fake.telnyxCommands(ccid).filter((c) => c.action === "answer");
    const deadEntry = (ccid) =>
      t.waitForLedger(
        { op: "list_outbound", status: "dead" },
        (reply) => reply.outbound.find(forCall(ccid)),
        10000,
        `a dead letter for ${ccid}`,
      );

    for (const [failure, mode] of [
      ["answers 503", "down"],
      ["closes the connection", "close"],
    ]) {
      it(`records the call at once while the API ${failure}, and delivers the command once it is back`, async () => {
        fake.setMode(mode);
        const { ccid, ack } = await registeredCall();
        const { events } = await t.ledger({ op: "list_events", limit: 1000 });
        assert.ok(events.some((e) => e.event_id === ack.event_id), "the event is recorded");
        assert.equal((await t.callsWithId(ccid)).length, 1, "the call is recorded");

        await fake.waitFor(() => answersFor(ccid).length >= 1, 10000, "a first, failing attempt");
        fake.setMode("up");
        const [entry] = await t.delivered(forCall(ccid));
        await quietly();
        const attempts = answersFor(ccid);
        assert.ok(attempts.length > 1, "retried");
        assert.equal(attempts.at(-1).answeredWith, "up");
        assert.equal(attempts.filter((a) => a.answeredWith === "up").length, 1, "delivered once, then left alone");
        assert.equal(new Set(attempts.map((a) => a.body?.command_id)).size, 1, "every attempt carries the same command_id");
        assert.equal(entry.status, "delivered");
        assert.ok(entry.attempts > 1, `attempts: ${entry.attempts}`);
        // A client may resend once on a connection that closed unanswered, so only an
        // answered failure is sure to be one request per attempt.
        if (mode === "down") assert.equal(entry.attempts, attempts.length);
        assert.equal(entry.last_status, 200);
      });
    }

    it(`makes a command that fails max_attempts times (503) a dead letter, backing off between attempts`, async () => {
      fake.setMode("down");
      const { ccid } = await registeredCall();
      const entry = await deadEntry(ccid);
      await quietly();
      const attempts = answersFor(ccid);
      assert.equal(attempts.length, OUTBOUND.max_attempts, "no attempt after the last");
      assert.equal(entry.status, "dead");
      assert.equal(entry.attempts, OUTBOUND.max_attempts);
      assert.equal(entry.last_status, 503);
      assert.equal(entry.action, "telnyx.answer");
      assert.equal(entry.provider, "telnyx");
      for (let i = 1; i < attempts.length; i++) {
        const wanted = Math.min(OUTBOUND.base_delay_ms * 2 ** (i - 1), OUTBOUND.max_delay_ms);
        const waited = attempts[i].at - attempts[i - 1].at;
        assert.ok(waited >= wanted - CLOCK_SLACK_MS, `attempt ${i + 1} came ${waited} ms after the one before, not ${wanted}`);
      }
      const pending = (await t.ledger({ op: "list_outbound", status: "pending" })).outbound.filter(forCall(ccid));
      assert.deepEqual(pending, []);
    });

    it("makes a command answered 422 a dead letter at once, without retrying", async () => {
      fake.setMode(422);
      const { ccid } = await registeredCall();
      const entry = await deadEntry(ccid);
      await quietly();
      assert.equal(answersFor(ccid).length, 1);
      assert.equal(entry.attempts, 1);
      assert.equal(entry.last_status, 422);
    });

    it("never stores the API key in the queue", async () => {
      const { ccid } = await registeredCall();
      await t.delivered(forCall(ccid));
      const outbound = await t.allOutbound();
      assert.ok(outbound.some(forCall(ccid)));
      assert.ok(!JSON.stringify(outbound).includes(TELNYX_API_KEY), "no API key in any entry");
    });
  });
}
