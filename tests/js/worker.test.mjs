// The Worker in workerd (Miniflare), beyond the conformance corpus: how the shim starts,
// shares one module between requests, survives bad settings, and speaks to its objects.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { CONFORMANCE_CONFIG, QUO_ENV, RINGING, signedDelivery } from "./standard-webhook.mjs";
import { createWorkerTarget } from "./worker-target.mjs";

const text = (response) => new TextDecoder().decode(response.body);
const json = (response) => JSON.parse(text(response));

describe("worker: a fresh isolate", () => {
  let worker;
  before(async () => (worker = await createWorkerTarget({})));
  after(() => worker?.close());

  it("instantiates the module on the first request (nothing at top level)", async () => {
    const response = await worker.handle({ path: "/health" });
    assert.equal(response.status, 200, text(response));
    assert.deepEqual(json(response), { status: "ok", version: json(response).version, target: "emscripten" });
  });

  // Interleavings vary from run to run: enough rounds that a race shows up reliably.
  it("answers two concurrent deep health requests 200 (twenty rounds)", async () => {
    for (let round = 0; round < 20; round++) {
      const responses = await Promise.all([1, 2].map(() => worker.handle({ path: "/health", query: "deep=1" })));
      for (const response of responses) assert.equal(response.status, 200, `round ${round}: ${text(response)}`);
    }
  });
});

describe("worker: requests that arrive while the module loads", () => {
  let worker;
  before(async () => (worker = await createWorkerTarget({})));
  after(() => worker?.close());

  it("all wait for the one instantiation and succeed", async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => worker.handle({ path: "/health" })));
    for (const response of responses) assert.equal(response.status, 200, text(response));
  });
});

describe("worker: FRONTDESK_CONFIG is not JSON", () => {
  let worker;
  before(async () => (worker = await createWorkerTarget({ config: "{ this is not json" })));
  after(() => worker?.close());

  it("answers /health 500 internal, as JSON, and keeps serving", async () => {
    for (let i = 0; i < 2; i++) {
      const response = await worker.handle({ path: "/health" });
      assert.equal(response.status, 500);
      assert.match(response.headers.find(([n]) => n === "content-type")?.[1] ?? "", /^application\/json/);
      const body = json(response);
      assert.equal(body.error.code, "internal");
      assert.match(body.error.message, /configuration/);
    }
  });
});

// A configuration error is an error path through the core's Result values. A stale
// Emscripten build (objects compiled against an older Config) once trapped here while
// native and WASI answered right.
describe("worker: FRONTDESK_CONFIG names an unknown source kind", () => {
  let worker;
  before(async () => (worker = await createWorkerTarget({ config: { sources: { x: { kind: "bogus" } }, diagnostics: true } })));
  after(() => worker?.close());

  it("answers 500 naming the field, on every request", async () => {
    for (let i = 0; i < 2; i++) {
      const response = await worker.handle({ path: "/health" });
      assert.equal(response.status, 500, text(response));
      assert.deepEqual(json(response), {
        error: { code: "internal", message: "configuration invalid: sources.x.kind: unknown kind 'bogus'" },
      });
    }
  });
});

describe("worker: a failure in the shim itself", () => {
  let worker;
  // An unknown fault class makes the shim throw before the core sees the request.
  before(async () => (worker = await createWorkerTarget({ faults: ["no-such-class"] })));
  after(() => worker?.close());

  it("is 500 internal JSON without a stack trace", async () => {
    const response = await worker.handle({ path: "/health" });
    assert.equal(response.status, 500);
    assert.deepEqual(json(response), { error: { code: "internal", message: "internal error" } });
    assert.doesNotMatch(text(response), /\bat\b|\.js/);
  });
});

describe("worker: the FrontdeskObject protocol", () => {
  let worker;
  let call;
  before(async () => {
    worker = await createWorkerTarget({});
    const namespace = await worker.mf.getDurableObjectNamespace("OBJECTS");
    // As the Worker calls it (edge-backend.js callObject): RPC.
    call = async ({ kind, id, message }) => {
      const stub = namespace.get(namespace.idFromName(`${kind}/${id}`));
      // Miniflare hands back a proxy of the answer: compared as the plain object it stands for.
      return JSON.parse(JSON.stringify(await stub.call(kind, id, message, [])));
    };
  });
  after(() => worker?.close());

  it("runs an object.call session and returns its reply", async () => {
    const message = JSON.stringify({ check: "storage", nonce: "n-1" });
    assert.deepEqual(await call({ kind: "health", id: "probe", message }), { reply: "n-1" });
    const sql = JSON.stringify({ check: "sql", nonce: "n-2" });
    assert.deepEqual(await call({ kind: "health", id: "probe", message: sql }), { reply: "n-2" });
  });

  it("returns the object's own error code", async () => {
    const answer = await call({ kind: "health", id: "probe", message: "not json" });
    assert.equal(answer.error.code, "malformed_body");
  });

  it("serialises calls into one object", async () => {
    const nonces = Array.from({ length: 6 }, (_, i) => `c-${i}`);
    const answers = await Promise.all(
      nonces.map((nonce) =>
        call({ kind: "health", id: "probe", message: JSON.stringify({ check: "storage", nonce }) }),
      ),
    );
    // Each call writes its nonce and reads it back: interleaved calls would read another's.
    assert.deepEqual(
      answers.map((a) => a.reply),
      nonces,
    );
  });
});

describe("worker: a webhook recorded in the ledger object (DO SQLite)", () => {
  let worker;
  before(async () => (worker = await createWorkerTarget({ config: CONFORMANCE_CONFIG, env: QUO_ENV })));
  after(() => worker?.close());

  // The ledger tells a repeat by the event it finds before its INSERT … ON CONFLICT DO
  // NOTHING, in one batch of statements run in order.
  it("answers a repeated delivery as a duplicate of the first", async () => {
    const first = await worker.handle(signedDelivery({ id: "msg_worker_1", body: RINGING }));
    assert.equal(first.status, 200, text(first));
    const second = await worker.handle(signedDelivery({ id: "msg_worker_1", body: RINGING }));
    assert.equal(second.status, 200, text(second));
    assert.equal(json(first).duplicate, false);
    assert.deepEqual(json(second), { ok: true, event_id: json(first).event_id, duplicate: true });
  });
});
