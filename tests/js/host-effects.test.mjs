// The fetch every JS host performs (worker-shim/host-effects.js): a provider that never
// answers fails the fetch after the timeout instead of holding the object that asked, and an
// answered fetch leaves no timer behind.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it } from "node:test";

import { hostEffects } from "../../worker-shim/host-effects.js";

function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

describe("host effects: fetch", () => {
  it("gives up on a server that never answers after fetchTimeoutMs (a failed fetch, not a hang)", async () => {
    const held = [];
    const server = await listen((request, response) => held.push(response)); // never answers
    try {
      const effects = hostEffects({ fetchTimeoutMs: 200 });
      const started = Date.now();
      await assert.rejects(
        effects.fetch({ method: "POST", url: `http://127.0.0.1:${server.address().port}/v2/calls/x/actions/answer`, headers: [], body_b64: "" }),
      );
      const waited = Date.now() - started;
      assert.ok(waited >= 150 && waited < 5000, `gave up after ${waited} ms`);
    } finally {
      for (const response of held) response.destroy();
      server.close();
    }
  });

  it("waits an effect's own timeout_ms instead (fan-out deliveries wait 15 s)", async () => {
    const held = [];
    const server = await listen((request, response) => held.push(response)); // never answers
    try {
      const effects = hostEffects({ fetchTimeoutMs: 100 });
      const started = Date.now();
      const url = `http://127.0.0.1:${server.address().port}/hooks`;
      await assert.rejects(effects.fetch({ method: "POST", url, headers: [], body_b64: "", timeout_ms: 600 }));
      const waited = Date.now() - started;
      assert.ok(waited >= 550 && waited < 5000, `gave up after ${waited} ms`);
    } finally {
      for (const response of held) response.destroy();
      server.close();
    }
  });

  it("disarms each fetch's timeout once it is answered (workerd allows 10 000 armed timers)", async () => {
    const server = await listen((request, response) => response.end("ok"));
    const { setTimeout: set, clearTimeout: clear } = globalThis;
    const armed = new Set();
    let made = 0;
    // Only the fetch timeouts (60 s here): fetch itself arms timers of its own.
    globalThis.setTimeout = (callback, delay, ...rest) => {
      const timer = set(callback, delay, ...rest);
      if (delay === 60_000) {
        armed.add(timer);
        made++;
      }
      return timer;
    };
    globalThis.clearTimeout = (timer) => {
      armed.delete(timer);
      clear(timer);
    };
    try {
      const effects = hostEffects({ fetchTimeoutMs: 60_000 });
      const url = `http://127.0.0.1:${server.address().port}/hook`;
      for (let i = 0; i < 20; i++) {
        const answer = await effects.fetch({ method: "POST", url, headers: [], body_b64: "" });
        assert.equal(answer.status, 200);
      }
      assert.equal(made, 20, "one timeout per fetch");
      assert.equal(armed.size, 0, "none left armed");
    } finally {
      globalThis.setTimeout = set;
      globalThis.clearTimeout = clear;
      server.close();
    }
  });

  it("answers any HTTP status as a success with status, headers and body", async () => {
    const server = await listen((request, response) => {
      response.writeHead(503, { "retry-after": "7" });
      response.end("down");
    });
    try {
      const answer = await hostEffects().fetch({ method: "GET", url: `http://127.0.0.1:${server.address().port}/`, headers: [], body_b64: "" });
      assert.equal(answer.status, 503);
      assert.ok(answer.headers.some(([name, value]) => name === "retry-after" && value === "7"));
      assert.equal(Buffer.from(answer.body_b64, "base64").toString(), "down");
      assert.ok(Number.isInteger(answer.elapsed_ms) && answer.elapsed_ms >= 0, `elapsed_ms ${answer.elapsed_ms}`);
    } finally {
      server.close();
    }
  });
});
