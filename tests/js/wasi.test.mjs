// The WASI driver (node:wasi + the shim's effect performer) beyond the corpus: the same
// basics as the Worker's tests, and the in-process stand-ins it brings (KV, SQLite).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { objectStorageEffects } from "../../worker-shim/object-storage.js";
import { CONFORMANCE_CONFIG, QUO_ENV, RINGING, signedDelivery } from "./standard-webhook.mjs";
import { createWasiTarget, loadSqlJs, memoryKv, sqlJsDatabase } from "./wasi-host.mjs";

const text = (response) => new TextDecoder().decode(response.body);
const json = (response) => JSON.parse(text(response));

describe("wasi: the module", () => {
  let target;
  before(async () => (target = await createWasiTarget({})));
  after(() => target?.close());

  it("answers /health as the wasi target", async () => {
    const response = await target.handle({ path: "/health" });
    assert.equal(response.status, 200, text(response));
    assert.equal(json(response).target, "wasi");
  });

  it("answers deep health 200 from real object storage and SQL", async () => {
    const response = await target.handle({ path: "/health", query: "deep=1" });
    assert.equal(response.status, 200, text(response));
    assert.deepEqual(json(response).checks, { kv: { ok: true }, objects: { ok: true }, sql: { ok: true } });
  });

  it("answers two concurrent deep health requests 200", async () => {
    const responses = await Promise.all([1, 2].map(() => target.handle({ path: "/health", query: "deep=1" })));
    for (const response of responses) assert.equal(response.status, 200, text(response));
  });
});

describe("wasi: a configuration that is not JSON", () => {
  let target;
  before(async () => (target = await createWasiTarget({ config: "{ this is not json" })));
  after(() => target?.close());

  it("answers /health 500 internal, as JSON", async () => {
    const response = await target.handle({ path: "/health" });
    assert.equal(response.status, 500);
    assert.equal(json(response).error.code, "internal");
  });
});

describe("wasi: options", () => {
  it("refuses an unknown fault class", async () => {
    await assert.rejects(createWasiTarget({ faults: ["disk"] }), /unknown fault class 'disk'/);
  });

  it("fails the named class only", async () => {
    const target = await createWasiTarget({ faults: ["sql"] });
    try {
      const response = await target.handle({ path: "/health", query: "deep=1" });
      assert.equal(response.status, 503);
      assert.deepEqual(json(response).checks, {
        kv: { ok: true },
        objects: { ok: true },
        sql: { ok: false, error: "storage_unavailable" },
      });
    } finally {
      target.close();
    }
  });
});

describe("wasi: a webhook recorded in the ledger object (sql.js)", () => {
  let target;
  before(async () => (target = await createWasiTarget({ config: CONFORMANCE_CONFIG, env: QUO_ENV })));
  after(() => target?.close());

  it("answers a repeated delivery as a duplicate of the first", async () => {
    const first = await target.handle(signedDelivery({ id: "msg_wasi_1", body: RINGING }));
    assert.equal(first.status, 200, text(first));
    const second = await target.handle(signedDelivery({ id: "msg_wasi_1", body: RINGING }));
    assert.equal(json(first).duplicate, false);
    assert.deepEqual(json(second), { ok: true, event_id: json(first).event_id, duplicate: true });
  });
});

// On a Durable Object any write statement costs the call a commit, even one that changes
// no row: a retry, answered from what the ledger already holds, must run reads only.
describe("wasi: a provider's retry", () => {
  const TEXT = JSON.stringify({
    type: "message.received",
    data: { object: { id: "AC-retry-text", from: "+15555550124", to: "+18886115384", body: "hello", direction: "incoming" } },
  });
  for (const [what, body] of [
    ["a call event", RINGING],
    ["a text", TEXT],
  ]) {
    it(`of ${what} is answered as a duplicate with SELECT statements only`, async () => {
      const statements = [];
      let recording = false;
      const target = await createWasiTarget({
        config: CONFORMANCE_CONFIG,
        env: QUO_ENV,
        onStatement: (sql) => recording && statements.push(sql),
      });
      try {
        const id = `msg_retry_${what.replace(/ /g, "_")}`;
        const first = await target.handle(signedDelivery({ id, body }));
        assert.equal(first.status, 200, text(first));
        assert.equal(json(first).duplicate, false);
        recording = true;
        const retry = await target.handle(signedDelivery({ id, body }));
        recording = false;
        assert.deepEqual(json(retry), { ok: true, event_id: json(first).event_id, duplicate: true });
        assert.ok(statements.length > 0, "the retry read the ledger");
        assert.deepEqual(
          statements.filter((sql) => !/^SELECT\b/.test(sql)),
          [],
          "the retry ran no statement that writes",
        );
      } finally {
        target.close();
      }
    });
  }
});

describe("wasi: the in-memory KV", () => {
  it("expires entries after their TTL on the given clock", () => {
    let now = 1_000_000;
    const kv = memoryKv(() => now);
    kv["kv.put"]({ key: "a", value: "1", ttl_s: 60 });
    assert.equal(kv["kv.get"]({ key: "a" }), "1");
    now += 60_000;
    assert.equal(kv["kv.get"]({ key: "a" }), null);
  });

  it("lists by prefix in key order, page by page", () => {
    const kv = memoryKv(() => 0);
    for (const key of ["p:c", "p:a", "q:a", "p:b", "p:\u{1F600}", "p:\uFFFD"]) kv["kv.put"]({ key, value: "v" });
    const first = kv["kv.list"]({ prefix: "p:", cursor: "", limit: 2 });
    assert.deepEqual(first.keys, ["p:a", "p:b"]);
    const second = kv["kv.list"]({ prefix: "p:", cursor: first.cursor, limit: 10 });
    // Code-point order, as KV and SQLite order: U+FFFD before U+1F600.
    assert.deepEqual(second, { keys: ["p:c", "p:\uFFFD", "p:\u{1F600}"], cursor: "" });
  });
});

describe("wasi: object storage on sql.js", () => {
  let db;
  let storage;
  before(async () => {
    const SQL = await loadSqlJs();
    db = new SQL.Database();
    storage = objectStorageEffects(sqlJsDatabase(db));
  });
  after(() => db?.close());

  it("keeps storage.* in the _storage table, listed in key order by prefix", () => {
    for (const key of ["b/2", "a/1", "b/1", "b\u{10FFFF}", "c"]) storage["storage.put"]({ key, value: `v-${key}` });
    storage["storage.put"]({ key: "b/1", value: "again" });
    assert.equal(storage["storage.get"]({ key: "b/1" }), "again");
    assert.deepEqual(storage["storage.list"]({ prefix: "b/", start_after: "", limit: 10 }), [
      ["b/1", "again"],
      ["b/2", "v-b/2"],
    ]);
    assert.deepEqual(storage["storage.list"]({ prefix: "b", start_after: "b/1", limit: 10 }), [
      ["b/2", "v-b/2"],
      ["b\u{10FFFF}", "v-b\u{10FFFF}"],
    ]);
    storage["storage.delete"]({ key: "b/2" });
    assert.equal(storage["storage.get"]({ key: "b/2" }), null);
    assert.equal(db.exec("SELECT count(*) FROM _storage")[0].values[0][0], 4);
  });

  it("runs sql.exec with blobs, reports writes through RETURNING, refuses a wrong parameter count", () => {
    const exec = (sql, params = []) => storage["sql.exec"]({ sql, params });
    assert.deepEqual(exec("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)"), { columns: [], rows: [] });
    assert.deepEqual(exec("INSERT INTO t (id, data) VALUES (?, ?)", [7, { b64: "AAEC" }]), { columns: [], rows: [] });
    assert.deepEqual(exec("SELECT id, data FROM t"), { columns: ["id", "data"], rows: [[7, { b64: "AAEC" }]] });
    // A conflict that writes nothing returns no row.
    exec("CREATE TABLE u (id INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT UNIQUE)");
    const insert = "INSERT INTO u (k) VALUES (?) ON CONFLICT (k) DO NOTHING RETURNING k";
    assert.deepEqual(exec(insert, ["a"]).rows, [["a"]]);
    assert.deepEqual(exec(insert, ["a"]).rows, []);
    assert.deepEqual(exec("UPDATE u SET k = 'b' WHERE k = 'zz' RETURNING k").rows, []);
    assert.deepEqual(exec("DELETE FROM u RETURNING k").rows, [["a"]]);
    assert.throws(() => exec("SELECT ? + ?", [1]), /wrong number of parameters/);
    assert.throws(() => exec("SELECT ?", [1, 2]));
  });
});
