// kill -9 under load (issue "The native host at disk speed"): with deliveries in flight on
// 16 connections, the server is killed at a random moment, 20 rounds on one database. Every
// delivery answered 200 is stored; every delivery left without an answer, sent again after
// the restart, is answered 200 and stored once (a first delivery if it was lost, a duplicate
// if it was kept); the audit chains verify. Group commit holds answers until their sync, so
// this is what it must never break.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "node:test";

import { NATIVE_BINARY } from "../js/native-target.mjs";
import { freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { TARGETS, receptionConfig, startTarget } from "./targets.mjs";

const run = promisify(execFile);
const ROUNDS = 20;
const IN_FLIGHT = 16;

function newDelivery() {
  const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() });
  return { id: event.id, request: signedTelnyx(event.body) };
}

test("native: kill -9 under load, 20 rounds: every 200 stored, every retry completes once, chains verify", async () => {
  if (!TARGETS.includes("native")) return;
  const dir = await mkdtemp(join(tmpdir(), "frontdesk-kill-load-"));
  const db = join(dir, "frontdesk.db");
  const config = receptionConfig({ providerUrl: "http://127.0.0.1:9" });
  const answered = new Map(); // provider event id → event_id answered
  let unanswered = []; // deliveries cut off by a kill
  let retried = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const t = await startTarget("native", { config, db });
      // What the last kill cut off goes again first: each must now complete.
      for (const delivery of unanswered) {
        const response = await t.deliver(delivery.request);
        assert.equal(response.status, 200, `round ${round}: a retry: ${response.text}`);
        const known = answered.get(delivery.id);
        if (known) assert.equal(response.json.event_id, known);
        answered.set(delivery.id, response.json.event_id);
        retried++;
      }
      unanswered = [];
      let killed = false;
      const lanes = Array.from({ length: IN_FLIGHT }, async () => {
        while (!killed) {
          const delivery = newDelivery();
          try {
            const response = await t.deliver(delivery.request);
            if (response.status === 200) answered.set(delivery.id, response.json.event_id);
            else unanswered.push(delivery);
          } catch {
            unanswered.push(delivery); // the connection died with the server
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 400)));
      killed = true;
      await t.target.kill();
      await Promise.all(lanes);
    }
    // The last round's cut-off deliveries, and then the whole record.
    const t = await startTarget("native", { config, db });
    try {
      for (const delivery of unanswered) {
        const response = await t.deliver(delivery.request);
        assert.equal(response.status, 200, response.text);
        answered.set(delivery.id, response.json.event_id);
        retried++;
      }
    } finally {
      await t.close();
    }
    const { stdout } = await run(NATIVE_BINARY, ["events", "--db", db, "--tenant", "acme"], { maxBuffer: 1 << 28 });
    const stored = new Map();
    for (const line of stdout.trim().split("\n")) {
      const event = JSON.parse(line);
      stored.set(event.provider_event_id, (stored.get(event.provider_event_id) ?? 0) + 1);
      if (answered.has(event.provider_event_id)) assert.equal(event.event_id, answered.get(event.provider_event_id));
    }
    assert.ok(answered.size >= ROUNDS * IN_FLIGHT, `${answered.size} deliveries answered`);
    assert.ok(retried > 0, "some deliveries were cut off and sent again");
    for (const [id] of answered) assert.equal(stored.get(id), 1, `delivery ${id} stored ${stored.get(id) ?? 0} times`);
    const verified = await run(NATIVE_BINARY, ["audit", "verify", "--db", db]);
    for (const line of verified.stdout.trim().split("\n")) assert.equal(JSON.parse(line).ok, true, line);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
