// Provider requests go out outside the tenant ledger's turn (docs/reception.md, "Outbound
// queue"): a provider that hangs holds no webhook, a command waiting for its retry costs no
// work until then, and commands pending at a kill -9 are each sent once after the restart.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { freshNumber, newCallControlId, REGISTERED, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { cpuMs, targetPid } from "./process-cpu.mjs";
import { TARGETS, receptionConfig, startTarget } from "./targets.mjs";

const newCall = (from) => signedTelnyx(telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from }).body);

for (const kind of TARGETS) {
  test(`${kind}: while a provider hangs, the tenant's next webhook is answered in under 100 ms`, async () => {
    const fake = await startFakeProvider();
    const t = await startTarget(kind, { config: receptionConfig({ providerUrl: fake.url }) });
    try {
      fake.setMode("hang");
      await t.acknowledged(newCall(REGISTERED));
      await fake.waitFor((requests) => requests.length >= 1, 10000, "a request the provider holds");
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await t.acknowledged(newCall(REGISTERED));
        const elapsed = performance.now() - started;
        assert.ok(elapsed < 100, `webhook ${i} took ${elapsed.toFixed(1)} ms while the provider hangs`);
      }
    } finally {
      await fake.close(); // ends the held requests first, so the target stops at once
      await t.close();
    }
  });

  test(`${kind}: a command waiting for its retry costs under 0.05 s of CPU over 3 s`, async () => {
    const fake = await startFakeProvider();
    const config = {
      ...receptionConfig({ providerUrl: fake.url }),
      outbound: { max_attempts: 5, base_delay_ms: 30000, max_delay_ms: 60000 },
    };
    const t = await startTarget(kind, { config });
    try {
      fake.setMode("down");
      // An unknown caller under known-only: answer, then speak in the same lane. The answer
      // fails and waits 30 s; the speak, due now, waits behind it.
      await t.acknowledged(newCall(freshNumber()));
      await fake.waitFor((requests) => requests.length >= 1, 10000, "the first, failing answer");
      await t.waitForLedger(
        { op: "list_outbound", status: "pending" },
        (reply) => reply.outbound.some((entry) => entry.attempts === 1),
        10000,
        "the failed answer settled",
      );
      const pid = targetPid(t);
      const before = cpuMs(pid);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const spent = cpuMs(pid) - before;
      assert.ok(spent < 50, `${spent} ms of CPU in 3 s while idle`);
      assert.equal(fake.requests.length, 1, "nothing was sent again before its retry");
    } finally {
      await t.close();
      await fake.close();
    }
  });
}

test("native: commands pending at kill -9 are each sent once after the restart, 20 rounds", async () => {
  if (!TARGETS.includes("native")) return;
  const fake = await startFakeProvider();
  const dir = await mkdtemp(join(tmpdir(), "frontdesk-kill-"));
  const db = join(dir, "frontdesk.db");
  const config = { ...receptionConfig({ providerUrl: fake.url }), outbound: { max_attempts: 20, base_delay_ms: 100, max_delay_ms: 200 } };
  const expected = new Set();
  try {
    for (let round = 0; round < 20; round++) {
      fake.setMode("down");
      const t = await startTarget("native", { config, db });
      for (let i = 0; i < 3; i++) await t.acknowledged(newCall(round % 2 ? REGISTERED : freshNumber()));
      const { outbound } = await t.ledger({ op: "list_outbound", status: "pending" });
      for (const entry of outbound) expected.add(entry.command_id);
      // A random moment while the provider refuses them (nothing is delivered yet).
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 150)));
      await t.target.kill();
      fake.setMode("up");
      const restarted = await startTarget("native", { config, db });
      try {
        await restarted.waitForLedger(
          { op: "list_outbound", status: "pending", limit: 1000 },
          (reply) => reply.outbound.length === 0,
          15000,
          `round ${round}: every pending command sent after the restart`,
        );
      } finally {
        await restarted.close();
      }
    }
    const delivered = new Map();
    for (const request of fake.requests) {
      if (request.answeredWith !== "up") continue;
      const id = request.body?.command_id;
      delivered.set(id, (delivered.get(id) ?? 0) + 1);
    }
    assert.ok(expected.size >= 60, `${expected.size} commands were pending`);
    for (const id of expected) assert.equal(delivered.get(id), 1, `${id} was sent ${delivered.get(id) ?? 0} times`);
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
});
