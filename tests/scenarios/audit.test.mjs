// The audit chain (docs/reception.md "Audit chain"): every decision is an entry whose hash
// covers the one before, so an entry edited in the stored database is found and named by
// audit_verify after a restart, and natively by `frontdesk audit verify --db FILE`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { NATIVE_BINARY } from "../js/native-target.mjs";
import { BLOCKED, REGISTERED, freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { editSqliteFile, readSqliteFile, rows } from "./sqlite-file.mjs";
import { ledgerStore } from "./stores.mjs";
import { TARGETS, forCall, receptionConfig, startTarget } from "./targets.mjs";

// core/audit/chain.hpp's canonical form.
const entryHash = (e) =>
  createHash("sha256").update([e.prev_hash, String(e.seq), e.at, e.kind, e.subject, e.body].join("\n")).digest("hex");

const auditVerifyCli = (db) => {
  const run = spawnSync(NATIVE_BINARY, ["audit", "verify", "--db", db], { encoding: "utf8", timeout: 30000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
};

for (const kind of TARGETS) {
  describe(`${kind}: the audit chain after a restart on the same storage`, () => {
    let fake;
    let dir;
    let store;
    let config;
    let t = null;
    const calls = [];
    let tampered; // the seq of the edited entry

    const restart = async () => {
      await t?.close();
      t = await startTarget(kind, { config, ...store.options });
    };
    const stop = async () => {
      await t?.close();
      t = null;
    };

    before(async () => {
      fake = await startFakeProvider();
      dir = await mkdtemp(join(tmpdir(), `frontdesk-audit-${kind}-`));
      store = ledgerStore(kind, dir);
      config = receptionConfig({ providerUrl: fake.url });
      await restart();
    });
    after(async () => {
      await stop();
      await fake?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("appends one decision per call, each hashed over the one before, and verifies", async () => {
      for (const [from, commands] of [
        [REGISTERED, 1],
        [freshNumber(), 2],
        [BLOCKED, 1],
      ]) {
        const ccid = newCallControlId();
        const event = telnyxCallEvent({ type: "call.initiated", ccid, from });
        await t.acknowledged(signedTelnyx(event.body));
        await t.delivered(forCall(ccid), commands);
        calls.push(ccid);
      }
      const { entries } = await t.ledger({ op: "audit_list", after_seq: 0, limit: 1000 });
      entries.forEach((entry, i) => {
        assert.equal(entry.seq, i + 1, "seq 1, 2, 3… without gaps");
        assert.equal(entry.prev_hash, i === 0 ? "0".repeat(64) : entries[i - 1].hash);
        assert.equal(entry.hash, entryHash(entry), `entry ${entry.seq} hashes to its canonical form`);
      });
      for (const ccid of calls) {
        const decisions = entries.filter((e) => e.kind === "call.decision" && JSON.parse(e.body).provider_call_id === ccid);
        assert.equal(decisions.length, 1, `one decision for call ${ccid}: ${JSON.stringify(entries)}`);
      }
      assert.deepEqual(await t.ledger({ op: "audit_verify" }), { ok: true, entries: entries.length });
    });

    if (kind === "native") {
      it("frontdesk audit verify exits 0 on the intact database", async () => {
        await stop();
        const { status, output } = auditVerifyCli(store.options.db);
        assert.equal(status, 0, output);
      });
    }

    it("edited on disk, an entry fails verification by its seq after a restart", async () => {
      await stop();
      const file = await store.ledgerFile();
      tampered = await editSqliteFile(file, (db) => {
        const decision = rows(db, "SELECT seq, subject, body FROM audit WHERE kind = 'call.decision' ORDER BY seq").find(
          (e) => JSON.parse(e.body).provider_call_id === calls[1],
        );
        assert.ok(decision, "the second call's decision is stored");
        const edited = JSON.stringify({ ...JSON.parse(decision.body), outcome: "authenticated", action: "answer" });
        assert.notEqual(edited, decision.body);
        db.run("UPDATE audit SET body = ? WHERE seq = ?", [edited, decision.seq]);
        assert.equal(db.getRowsModified(), 1);
        return decision.seq;
      });
      const { entries } = await readSqliteFile(file, (db) => ({ entries: rows(db, "SELECT seq FROM audit") }));
      assert.ok(tampered < entries.length, "an entry in the middle of the chain, not the head");

      await restart();
      const verdict = await t.ledger({ op: "audit_verify" });
      assert.equal(verdict.ok, false, JSON.stringify(verdict));
      assert.equal(verdict.seq, tampered, JSON.stringify(verdict));
      assert.equal(typeof verdict.entries, "number");
      assert.equal(typeof verdict.reason, "string");
      assert.ok(verdict.reason.length > 0);
    });

    if (kind === "native") {
      it("frontdesk audit verify exits 1 naming the edited entry's seq", async () => {
        await stop();
        const { status, output } = auditVerifyCli(store.options.db);
        assert.equal(status, 1, output);
        assert.match(output, new RegExp(`seq\\D{0,3}${tampered}\\b`), output);
      });
    }
  });
}
