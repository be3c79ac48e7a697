// A delivery is recorded whole or not at all (SPEC Invariant 1): a storage fault at any one
// SQL statement of a new call's delivery answers 5xx and leaves nothing of it, and the
// provider's retry is then handled as a first delivery, recorded whole.
import assert from "node:assert/strict";
import { test } from "node:test";

import { freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { TARGETS, receptionConfig, startTarget } from "./targets.mjs";

// More statements than a new call's delivery runs on a fresh target (set-up included): the
// loop below ends at the first statement number that the delivery never reaches.
const MAX_STATEMENTS = 80;

// Everything a delivery can leave in the ledger.
async function recorded(t) {
  const [events, calls, audit, outbound] = await Promise.all([
    t.ledger({ op: "list_events" }),
    t.ledger({ op: "list_calls" }),
    t.ledger({ op: "audit_list" }),
    // Every status in one read: the queue is being sent meanwhile.
    t.ledger({ op: "list_outbound" }),
  ]);
  return { events: events.events, calls: calls.calls, audit: audit.entries, outbound: outbound.outbound };
}

for (const kind of TARGETS) {
  test(`${kind}: a fault at each SQL statement of a new call leaves nothing, and the retry records it whole`, async () => {
    const provider = await startFakeProvider();
    try {
      let reached = 0;
      for (let n = 1; n <= MAX_STATEMENTS; n++) {
        const t = await startTarget(kind, { config: receptionConfig({ providerUrl: provider.url }), faults: [`sql#${n}`] });
        try {
          const ccid = newCallControlId();
          const caller = freshNumber();
          const delivery = signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid, from: caller }).body);
          const first = await t.deliver(delivery);
          if (first.status === 200) {
            // Statement n is past the delivery: the fault never hit it.
            assert.equal(first.json.duplicate, false);
            break;
          }
          reached = n;
          assert.equal(first.status, 503, `statement ${n}: ${first.text}`);
          assert.equal(first.json?.error?.code, "storage_unavailable", first.text);
          assert.deepEqual(await recorded(t), { events: [], calls: [], audit: [], outbound: [] }, `statement ${n}`);

          const retry = await t.acknowledged(delivery);
          assert.equal(retry.duplicate, false, `statement ${n}: the retry is a first delivery`);
          const whole = await recorded(t);
          assert.equal(whole.events.length, 1);
          assert.equal(whole.events[0].event_id, retry.event_id);
          assert.equal(whole.calls.length, 1);
          assert.equal(whole.calls[0].provider_call_id, ccid);
          assert.equal(whole.calls[0].decision.outcome, "rejected");
          assert.equal(whole.calls[0].state, "rejected");
          assert.equal(whole.audit.length, 1);
          assert.equal(whole.audit[0].kind, "call.decision");
          assert.deepEqual(whole.outbound.map((entry) => entry.action).sort(), ["telnyx.answer", "telnyx.speak"]);
          const again = await t.acknowledged(delivery);
          assert.deepEqual(again, { ok: true, event_id: retry.event_id, duplicate: true });
        } finally {
          await t.close();
        }
      }
      assert.ok(reached >= 5, `a new call runs several statements (faulted ${reached})`);
      assert.ok(reached < MAX_STATEMENTS, "the delivery ends within MAX_STATEMENTS statements");
    } finally {
      await provider.close();
    }
  });
}
