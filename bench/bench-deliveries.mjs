// What bench/workerd-bench.mjs and bench/native-load.sh (through native-load-requests.mjs)
// share: the reception configuration they run under (tests/scenarios/targets.mjs's
// receptionConfig, Telnyx on a key of the run's own, providers on a local stand-in), the
// signed deliveries (built by tests/scenarios/deliveries.mjs, Telnyx signed with that key),
// and the provider stand-in that answers 200 {} to everything so queued commands really go
// somewhere.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { createServer } from "node:http";

import { fixtureEnv } from "../tests/conformance/signing.mjs";
import {
  newCallControlId,
  openPhoneTextReceived,
  signedOpenPhone,
  telnyxCallEvent,
} from "../tests/scenarios/deliveries.mjs";
import { receptionConfig } from "../tests/scenarios/targets.mjs";

export const URGENT_TEXT = "URGENT: my pipe burst, please call back";

// An Ed25519 pair for the Telnyx source: {privateKey, publicKeyB64 (raw 32 bytes, as the
// configuration takes it), pem (to hand the private key to another process)}.
export function telnyxKey(pem) {
  const privateKey = pem ? createPrivateKey(pem) : generateKeyPairSync("ed25519").privateKey;
  const raw = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(-32);
  return {
    privateKey,
    publicKeyB64: raw.toString("base64"),
    pem: privateKey.export({ format: "pem", type: "pkcs8" }),
  };
}

// receptionConfig (known-only: an unknown caller is answered and spoken to, an urgent text
// gets one auto-reply, diagnostics on), with the bench's own Telnyx key and no Twilio source.
export function benchConfig({ providerUrl, telnyxPublicKeyB64 }) {
  const config = receptionConfig({ providerUrl });
  return {
    ...config,
    sources: {
      telnyx: { ...config.sources.telnyx, public_keys: [telnyxPublicKeyB64] },
      openphone: config.sources.openphone,
    },
  };
}

// The values benchConfig's env:NAME references resolve to (clearly fake keys).
export const benchEnv = () => ({
  OPENPHONE_WEBHOOK_SECRET: fixtureEnv().OPENPHONE_WEBHOOK_SECRET,
  TELNYX_API_KEY: "KEYfake-telnyx-api-key-for-benchmarks-0001",
  OPENPHONE_API_KEY: "fake-openphone-api-key-for-benchmarks-0001",
});

// A fresh caller or sender per delivery, in none of the tenant's lists: +1 555 2xx xxxx
// (deliveries.mjs's freshNumber has room for 9000 per process, a run may need more).
// start: where this process's numbers begin, so separate processes can keep apart.
export function numberSource(start = 0) {
  let next = start;
  return () => `+1555${2000000 + (next++ % 8000000)}`;
}

// As deliveries.mjs's signedTelnyx, with the run's key: Ed25519 over "<ts s>|<body>".
export function signTelnyx(privateKey, body) {
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(`${ts}|${body}`), privateKey);
  return {
    method: "POST",
    path: "/webhooks/telnyx",
    headers: {
      "content-type": "application/json",
      "telnyx-timestamp": ts,
      "telnyx-signature-ed25519": signature.toString("base64"),
    },
    body: new TextEncoder().encode(body),
  };
}

// A new inbound Telnyx call (call.initiated) from `from`, as deliveries.mjs builds it.
export const newCallBody = (from) => telnyxCallEvent({ type: "call.initiated", ccid: newCallControlId(), from }).body;

// Telnyx's envelope around an event of another kind (a number order): the core keeps it as
// a platform event of the default tenant and acts on it no further.
export function platformEventBody() {
  return JSON.stringify({
    data: {
      record_type: "event",
      event_type: "number_order.complete",
      id: randomUUID(),
      occurred_at: new Date().toISOString(),
      payload: { id: randomUUID(), status: "success", phone_numbers_count: 1, customer_reference: "bench" },
    },
    meta: { attempt: 1, delivered_to: "https://reception.example.com/webhooks/telnyx" },
  });
}

// An urgent OpenPhone text from `from`, as deliveries.mjs builds and signs it.
export const urgentTextBody = (from) => openPhoneTextReceived({ from, text: URGENT_TEXT }).body;
export const signOpenPhone = (body) => signedOpenPhone(body);

// The provider stand-in on 127.0.0.1 (port 0: any free one). drained(total) resolves once
// `total` requests have arrived and then none for quietMs.
export async function startProvider({ port = 0, quietMs = 300, timeoutMs = 180_000 } = {}) {
  let received = 0;
  let lastAt = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received++;
      lastAt = performance.now();
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get received() {
      return received;
    },
    async drained(total) {
      const deadline = Date.now() + timeoutMs;
      while (received < total || performance.now() - lastAt < quietMs) {
        if (Date.now() > deadline) throw new Error(`the provider got ${received} requests, expected ${total}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
