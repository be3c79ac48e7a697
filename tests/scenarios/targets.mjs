// The reception configuration the scenarios run under, and the two targets they run on:
// the native server and the Worker in workerd, both sending provider commands to a fake.
import assert from "node:assert/strict";

import { fixtureEnv } from "../conformance/signing.mjs";
import { createNativeTarget } from "../js/native-target.mjs";
import { createWorkerTarget } from "../js/worker-target.mjs";
import { ALLOWED, BLOCKED, OUR_NUMBER, REGISTERED, TWILIO_PUBLIC_URL } from "./deliveries.mjs";

// FRONTDESK_SCENARIO_TARGETS=native (or worker) narrows a run while working on one target.
export const TARGETS = (process.env.FRONTDESK_SCENARIO_TARGETS ?? "native,worker").split(",").filter(Boolean);

// Clearly fake API keys: the fake provider only records them.
export const TELNYX_API_KEY = "KEYfake-telnyx-api-key-for-scenario-tests-0001";
export const OPENPHONE_API_KEY = "fake-openphone-api-key-for-scenario-tests-0001";

// Both characters that must be escaped in XML text, so the TwiML <Say> shows escaping.
export const REJECT_MESSAGE = "Known callers only. Text us & we call back in < 1 hour.";
export const FORWARD_TO = "+15555550100";
export const URGENT_REPLY = "We got your message and will call you right back.";
export const OUTBOUND = { max_attempts: 3, base_delay_ms: 200, max_delay_ms: 1000 };

// providerUrl: the fake provider's base URL; forwardTo: whether the policy forwards the
// calls it lets through (then Telnyx transfers and Twilio dials instead of answering).
export function receptionConfig({ providerUrl, forwardTo = false }) {
  return {
    sources: {
      telnyx: { kind: "telnyx", public_keys: ["env:TELNYX_PUBLIC_KEY"], tolerance_s: 300 },
      openphone: { kind: "openphone", secrets: ["env:OPENPHONE_WEBHOOK_SECRET"] },
      twilio: { kind: "twilio", secrets: ["env:TWILIO_AUTH_TOKEN"], public_url: TWILIO_PUBLIC_URL },
    },
    tenants: {
      acme: {
        numbers: [OUR_NUMBER],
        registry: { [REGISTERED]: "alice.x" },
        allow: [ALLOWED],
        block: [BLOCKED],
        policy: {
          screening: "known-only",
          reject_message: REJECT_MESSAGE,
          ...(forwardTo ? { forward_to: FORWARD_TO } : {}),
          auto_reply: [{ when: { priority: "urgent" }, text: URGENT_REPLY }],
          auto_reply_window_s: 3600,
        },
      },
    },
    providers: {
      telnyx: { api_key: "env:TELNYX_API_KEY", base_url: providerUrl, voice: "female", language: "en-US" },
      openphone: { api_key: "env:OPENPHONE_API_KEY", base_url: providerUrl },
    },
    outbound: OUTBOUND,
    diagnostics: true,
  };
}

export const receptionEnv = () => ({
  ...fixtureEnv(),
  TELNYX_API_KEY,
  OPENPHONE_API_KEY,
});

const decoder = new TextDecoder();

// A target with helpers. kind: "native" | "worker"; options: {config, env, faults
// (docs/wire.md), db (native), persistDir (worker)}.
export async function startTarget(kind, { config, env = receptionEnv(), faults = [], db, persistDir }) {
  const target =
    kind === "native"
      ? await createNativeTarget({ config, env, faults, db })
      : await createWorkerTarget({ config, env, faults, persistDir });

  // A webhook delivery → {status, contentType, text, json (null unless JSON)}.
  async function deliver(request) {
    const response = await target.handle(request);
    const text = decoder.decode(response.body);
    const contentType = response.headers.find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, contentType, text, json };
  }

  // A message to the tenant's ledger through the diagnostics route → the parsed reply.
  async function ledger(message, tenant = "acme") {
    const response = await deliver({
      method: "POST",
      path: `/diagnostics/objects/ledger/${tenant}`,
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode(JSON.stringify(message)),
    });
    assert.equal(response.status, 200, `ledger ${message.op}: ${response.text}`);
    assert.ok(response.json, `ledger ${message.op} answered no JSON: ${response.text}`);
    return response.json;
  }

  // Polls a ledger message until pick(reply) is truthy; resolves to that value.
  async function waitForLedger(message, pick, timeoutMs = 10000, what = `ledger ${message.op}`) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await ledger(message);
      const value = pick(reply);
      if (value) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last reply: ${JSON.stringify(reply)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  // A delivery the webhook must acknowledge with {"ok":true,"event_id":…,"duplicate":…}.
  async function acknowledged(request) {
    const response = await deliver(request);
    assert.equal(response.status, 200, response.text);
    assert.equal(response.json?.ok, true, response.text);
    assert.equal(typeof response.json.event_id, "string", response.text);
    assert.equal(typeof response.json.duplicate, "boolean", response.text);
    return response.json;
  }

  // The ledger's rows for one provider call id.
  const callsWithId = async (callId) =>
    (await ledger({ op: "list_calls", limit: 1000 })).calls.filter((c) => c.provider_call_id === callId);

  // Waits until the outbound queue holds `count` delivered entries matching `match` and
  // none of them pending; resolves to the delivered ones.
  async function delivered(match, count = 1) {
    const entries = await waitForLedger(
      { op: "list_outbound", status: "delivered" },
      (reply) => {
        const found = reply.outbound.filter(match);
        return found.length >= count ? found : null;
      },
      10000,
      `${count} delivered outbound entries`,
    );
    const pending = (await ledger({ op: "list_outbound", status: "pending" })).outbound.filter(match);
    assert.deepEqual(pending, [], "nothing of these is still pending");
    return entries;
  }

  // Every entry of the outbound queue, whatever its status, in one read (the queue is sent
  // meanwhile: reading one status after another could miss an entry that moved).
  async function allOutbound() {
    return (await ledger({ op: "list_outbound", limit: 1000 })).outbound;
  }

  return {
    kind,
    target,
    deliver,
    acknowledged,
    ledger,
    waitForLedger,
    callsWithId,
    delivered,
    allOutbound,
    close: () => target.close(),
  };
}

// Outbound entries of one Telnyx call (their URL names its call control id).
export const forCall = (ccid) => (entry) => decodeURIComponent(entry.url).includes(`/calls/${ccid}/actions/`);
// Outbound entries that mention a phone number (a text reply to it).
export const mentioning = (phone) => (entry) => JSON.stringify(entry).includes(phone);

// "Nothing more arrives": a short, bounded wait after the queue says all was delivered.
export const QUIET_MS = 500;
export const quietly = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));
