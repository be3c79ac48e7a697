// The native server's connections (issue "The native host at disk speed", bounded
// resources): clients too slow to send a request get 408 request_timeout; a kept-alive
// connection idle too long is closed; over `server.max_connections` the connection idle
// the longest makes room, and with none idle a new one answers only GET /health (anything
// else 503 overloaded with Retry-After); under an open-files limit of 1024, 2,000 idle
// connections leave webhooks and /health answered. Native only: at the edge the platform
// owns connections.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";

import { createNativeTarget } from "../js/native-target.mjs";
import { freshNumber, newCallControlId, signedTelnyx, telnyxCallEvent } from "./deliveries.mjs";
import { receptionConfig, receptionEnv } from "./targets.mjs";

const config = (server) => ({ ...receptionConfig({ providerUrl: "http://127.0.0.1:9" }), server });

// A raw socket to the server; resolves once connected.
function open(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once("error", reject);
  });
}

// Everything the server sends until it closes the socket, and how long that took.
function untilClosed(socket) {
  const started = Date.now();
  const chunks = [];
  return new Promise((resolve) => {
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve({ text: Buffer.concat(chunks).toString(), ms: Date.now() - started }));
  });
}

// One request on its own connection; resolves to {status, headers, text}.
async function exchange(url, raw) {
  const socket = await open(url);
  const closed = untilClosed(socket);
  socket.write(raw);
  // The answer is complete when the server closes (Connection: close) or after its body.
  const { text } = await closed;
  const [head, body = ""] = text.split("\r\n\r\n");
  const status = Number(head.split(" ")[1]);
  return { status, head, body };
}

const healthRequest = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

// A counter of GET /metrics (loopback needs no token): frontdesk_connections_refused_total{reason}.
async function refused(url, reason) {
  const { body } = await exchange(url, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const line = body.split("\n").find((l) => l.startsWith(`frontdesk_connections_refused_total{reason="${reason}"}`));
  assert.ok(line, body);
  return Number(line.split(" ").pop());
}

function webhookRequest() {
  const event = telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from: freshNumber() });
  const signed = signedTelnyx(event.body);
  const headers = Object.entries(signed.headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  return Buffer.concat([
    Buffer.from(
      `POST ${signed.path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}Content-Length: ${signed.body.length}\r\n\r\n`,
    ),
    Buffer.from(signed.body),
  ]);
}

describe("native server connections: timeouts", () => {
  let target;
  before(async () => {
    target = await createNativeTarget({
      config: config({ request_timeout_s: 1, idle_timeout_s: 1 }),
      env: receptionEnv(),
    });
  });
  after(async () => target?.close());

  it("a client that connects and sends nothing gets 408 request_timeout, then the connection closes", async () => {
    const socket = await open(target.url);
    const { text, ms } = await untilClosed(socket);
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.match(text, /"code":"request_timeout"/);
    assert.ok(ms >= 900 && ms < 4000, `closed after ${ms} ms`);
  });

  it("a client that sends half a request header gets 408", async () => {
    const socket = await open(target.url);
    const closed = untilClosed(socket);
    socket.write("POST /webhooks/telnyx HTTP/1.1\r\nHost: x\r\nContent-Ty");
    const { text } = await closed;
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.match(text, /"code":"request_timeout"/);
  });

  it("a client that sends the body too slowly gets 408", async () => {
    const socket = await open(target.url);
    const closed = untilClosed(socket);
    socket.write("POST /webhooks/telnyx HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":");
    const { text } = await closed;
    assert.match(text, /^HTTP\/1\.1 408 /);
  });

  it("a kept-alive connection idle past idle_timeout_s is closed without another answer", async () => {
    const socket = await open(target.url);
    const closed = untilClosed(socket);
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    const { text, ms } = await closed;
    assert.equal(text.match(/HTTP\/1\.1 /g).length, 1, text);
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.ok(ms >= 900, `closed after ${ms} ms`);
  });

  it("the server's metrics count the 408s", async () => {
    assert.equal(await refused(target.url, "request_timeout"), 3);
  });
});

describe("native server connections: the limit", () => {
  let target;
  before(async () => {
    target = await createNativeTarget({ config: config({ max_connections: 4, request_timeout_s: 5 }), env: receptionEnv() });
  });
  after(async () => target?.close());

  it("with every connection busy, a new one answers /health and 503 overloaded with Retry-After otherwise", async () => {
    // Four connections each in the middle of a request: none idle, none can be closed.
    const busy = [];
    for (let i = 0; i < 4; i++) {
      const socket = await open(target.url);
      socket.on("error", () => {});
      socket.write("POST /webhooks/telnyx HTTP/1.1\r\nHost: x\r\n");
      busy.push(socket);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const health = await exchange(target.url, healthRequest);
    assert.equal(health.status, 200, health.head);
    assert.match(health.body, /"status":"ok"/);
    const refused = await exchange(target.url, webhookRequest());
    assert.equal(refused.status, 503, refused.head);
    assert.match(refused.head, /\r\nRetry-After: 1\r\n/i);
    assert.match(refused.body, /"code":"overloaded"/);
    for (const socket of busy) socket.destroy();
  });

  it("idle connections make room: the one idle the longest is closed for a new one", async () => {
    const idle = [];
    for (let i = 0; i < 4; i++) idle.push(await open(target.url));
    const firstClosed = untilClosed(idle[0]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const answered = await exchange(target.url, webhookRequest());
    assert.equal(answered.status, 200, answered.head + answered.body);
    assert.match(answered.body, /"duplicate":false/);
    const { text } = await firstClosed;
    assert.equal(text, "", "an idle connection is closed without an answer");
    for (const socket of idle) socket.destroy();
    assert.equal(await refused(target.url, "overloaded"), 1);
    assert.ok((await refused(target.url, "evicted_idle")) >= 1);
  });
});

describe("native server connections: 2,000 idle clients under an open-files limit of 1024", () => {
  let target;
  before(async () => {
    target = await createNativeTarget({ config: config({ request_timeout_s: 30 }), env: receptionEnv(), openFilesLimit: 1024 });
  });
  after(async () => target?.close());

  it("webhooks and /health are still answered", async () => {
    const idle = [];
    for (let i = 0; i < 2000; i++) {
      const socket = await open(target.url);
      socket.on("error", () => {});
      idle.push(socket);
    }
    for (let i = 0; i < 5; i++) {
      const health = await exchange(target.url, healthRequest);
      assert.equal(health.status, 200, health.head);
      const answered = await exchange(target.url, webhookRequest());
      assert.equal(answered.status, 200, answered.head + answered.body);
      assert.match(answered.body, /"ok":true/);
    }
    for (const socket of idle) socket.destroy();
  });
});
