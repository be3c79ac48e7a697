// The fetch every JS host performs (worker-shim/host-effects.js): a provider that never
// answers fails the fetch after the timeout instead of holding the object that asked.
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
    } finally {
      server.close();
    }
  });
});
