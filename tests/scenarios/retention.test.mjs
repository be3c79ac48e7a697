// Retention (`retention` in the configuration; core/objects/ledger/retention.cpp): the
// ledger's `prune` on both targets, and what drives it at the edge, the Worker's Cron
// Trigger. How payloads age out is pinned natively with a clock the test moves
// (tests/native/retention_test.cpp): here the clock is real, so nothing is old yet.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { TARGETS, receptionConfig, startTarget } from "./targets.mjs";

for (const kind of TARGETS) {
  describe(`retention (${kind})`, () => {
    let t;
    before(async () => {
      const config = { ...receptionConfig({ providerUrl: "http://127.0.0.1:9" }), retention: { payload_days: 1 } };
      t = await startTarget(kind, { config });
    });
    after(async () => t?.close());

    it("prune keeps what is newer than retention allows, and says so", async () => {
      const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() });
      const delivered = await t.acknowledged(signedTelnyx(event.body));
      assert.deepEqual(await t.ledger({ op: "prune" }), {
        payloads: 0,
        dead_letters: 0,
        delivered: 0,
        idempotency_keys: 0,
        more: false,
      });
      const { events } = await t.ledger({ op: "list_events", limit: 1 });
      assert.equal(events[0].event_id, delivered.event_id);
      assert.equal(events[0].payload, event.body);
    });

    if (kind === "worker") {
      it("the Cron Trigger prunes every tenant's ledger", async () => {
        const worker = await t.target.mf.getWorker();
        const result = await worker.scheduled({ cron: "17 * * * *" });
        assert.equal(result.outcome, "ok");
      });
    }
  });
}
