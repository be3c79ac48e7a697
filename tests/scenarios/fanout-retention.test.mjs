// Fan-out's retention (docs/fanout.md, "Configuration"): events are kept for replay, and
// finished deliveries with their attempts in the log, `fanout.retention_days`; older ones
// go when the ledger's alarm next sends deliveries. The stored rows are aged by editing the
// database of a stopped target, which then starts again on the same storage.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { apiConfig, startApiTarget } from "../api/api.mjs";
import { startFakeProvider } from "./fake-provider.mjs";
import { editSqliteFile, readSqliteFile, rows } from "./sqlite-file.mjs";
import { ledgerStore } from "./stores.mjs";
import { TARGETS } from "./targets.mjs";
import { startWebhookReceiver } from "./webhook-receiver.mjs";

const DAY_MS = 86_400_000;

async function deliveredTest(t, token, endpoint) {
  const sent = await t.api("POST", `/api/v1/endpoints/${endpoint}/test`, { token });
  assert.equal(sent.status, 202, sent.what);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const listed = await t.api("GET", "/api/v1/deliveries", { token, query: `endpoint=${endpoint}` });
    if (listed.json.data.find((d) => d.id === sent.json.id)?.status === "delivered") return sent.json.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the test delivery ${sent.json.id} was not delivered`);
}

for (const kind of TARGETS) {
  test(`${kind}: events and finished deliveries older than fanout.retention_days are pruned, newer ones kept`, async () => {
    const dir = await mkdtemp(join(tmpdir(), "frontdesk-retention-"));
    const fake = await startFakeProvider();
    const receiver = await startWebhookReceiver();
    const store = ledgerStore(kind, dir);
    const config = apiConfig({ providerUrl: fake.url });
    config.fanout = { allow_http: true, allow_private: true, retention_days: 30 };
    let t = await startApiTarget(kind, { config, ...store.options });
    try {
      const admin = (await t.mint({ name: "admin", scopes: ["endpoints:read", "endpoints:write"] })).token;
      const made = await t.api("POST", "/api/v1/endpoints", { token: admin, body: { url: receiver.url } });
      assert.equal(made.status, 201, made.what);
      const endpoint = made.json.id;
      const old = await deliveredTest(t, admin, endpoint);
      const recent = await deliveredTest(t, admin, endpoint);
      await t.close();
      t = null;

      // The first test delivery, its event and its attempt as if 31 days old; the second 29.
      const file = await store.ledgerFile();
      await editSqliteFile(file, (db) => {
        const age = (id, days) => {
          const ms = Date.now() - days * DAY_MS;
          const at = new Date(ms).toISOString();
          const [{ event_id }] = rows(db, "SELECT event_id FROM deliveries WHERE id = ?", [id]);
          db.run("UPDATE deliveries SET updated_at = ?, created_at = ? WHERE id = ?", [at, at, id]);
          db.run("UPDATE fanout_events SET created_ms = ? WHERE id = ?", [ms, event_id]);
        };
        age(old, 31);
        age(recent, 29);
      });

      t = await startApiTarget(kind, { config, ...store.options });
      // A new delivery makes the alarm lease, and prune in the same batch.
      await deliveredTest(t, admin, endpoint);
      const ids = async () =>
        (await t.api("GET", "/api/v1/deliveries", { token: admin, query: `endpoint=${endpoint}` })).json.data.map((d) => d.id);
      const listed = await ids();
      assert.ok(!listed.includes(old), `the 31-day-old delivery is gone: ${listed}`);
      assert.ok(listed.includes(recent), `the 29-day-old delivery is kept: ${listed}`);
      await t.close();
      t = null;
      const left = await readSqliteFile(await store.ledgerFile(), (db) => ({
        events: rows(db, "SELECT COUNT(*) AS n FROM fanout_events")[0].n,
        attempts: rows(db, "SELECT COUNT(*) AS n FROM delivery_attempts WHERE delivery_id = ?", [old])[0].n,
      }));
      assert.deepEqual(left, { events: 2, attempts: 0 }, "the old event and the old attempt are gone");
    } finally {
      await t?.close();
      await receiver.close();
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
}
