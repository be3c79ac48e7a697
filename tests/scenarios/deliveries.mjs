// Signed webhook deliveries as the providers send them, signed now with the conformance
// corpus's fake keys (tests/conformance/fixtures.json) through its signing helpers.
import { randomBytes, randomUUID } from "node:crypto";

import { signRequest } from "../conformance/signing.mjs";

export const OUR_NUMBER = "+18886115384";
export const REGISTERED = "+15555550123"; // registry: alice.x
export const ALLOWED = "+15555550124";
export const BLOCKED = "+15555550666";
export const TWILIO_PUBLIC_URL = "https://reception.example.com/webhooks/twilio";
export const TWILIO_ACCOUNT_SID = "ACfake00000000000000000000000000";

const encode = (text) => new TextEncoder().encode(text);
const hex = (bytes) => randomBytes(bytes).toString("hex");

// A fresh number per use (in none of the tenant's lists), so one test's history (screening,
// auto-reply windows) never meets another's.
let nextNumber = 1000;
export const freshNumber = () => `+1555557${nextNumber++}`;

// --- Telnyx (Ed25519 over "<ts>|<body>") ---

export const newCallControlId = () => `v3:fake-${hex(12)}`;

const TELNYX_STATES = {
  "call.initiated": "parked",
  "call.answered": "answered",
  "call.hangup": "hangup",
  "call.speak.ended": "answered",
};

// type: call.initiated | call.answered | call.hangup | call.speak.ended. The same id makes
// the same delivery again (a provider retry); occurredAt defaults to now. clientState: what
// the call's commands set, echoed by Telnyx. call.speak.ended carries no numbers, as Telnyx's
// does not: its tenant is known only from the client_state.
export function telnyxCallEvent({
  type,
  ccid,
  from,
  to = OUR_NUMBER,
  id = randomUUID(),
  occurredAt = new Date(),
  clientState,
}) {
  const payload = {
    call_control_id: ccid,
    call_leg_id: `leg-${ccid}`,
    call_session_id: `session-${ccid}`,
    connection_id: "1684641123236054244",
    ...(type === "call.speak.ended" ? {} : { from, to, direction: "incoming", state: TELNYX_STATES[type] ?? "parked" }),
    ...(clientState ? { client_state: clientState } : {}),
  };
  if (type === "call.hangup") Object.assign(payload, { hangup_cause: "normal_clearing", hangup_source: "caller" });
  if (type === "call.speak.ended") payload.status = "completed";
  const body = JSON.stringify({
    data: { record_type: "event", event_type: type, id, occurred_at: new Date(occurredAt).toISOString(), payload },
    meta: { attempt: 1, delivered_to: "https://reception.example.com/webhooks/telnyx" },
  });
  return { id, body };
}

export function signedTelnyx(body) {
  const request = {
    method: "POST",
    path: "/webhooks/telnyx",
    headers: { "content-type": "application/json" },
    body: encode(body),
  };
  return signRequest(request, { scheme: "telnyx", secret: "ed25519-fake-test-key" });
}

// --- Twilio (HMAC-SHA1 over public_url + sorted form parameters) ---

export const newCallSid = () => `CA${hex(16)}`;

// A Twilio form, signed as Twilio signs it for the source's public URL.
function signedTwilioForm(fields) {
  const request = {
    method: "POST",
    path: "/webhooks/twilio",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encode(new URLSearchParams(fields).toString()),
  };
  return signRequest(request, { scheme: "twilio", secret: "twilio-fake-test-token", url: TWILIO_PUBLIC_URL });
}

export function signedTwilioVoice({ callSid, from, to = OUR_NUMBER, status = "ringing" }) {
  return signedTwilioForm({
    AccountSid: TWILIO_ACCOUNT_SID,
    ApiVersion: "2010-04-01",
    CallSid: callSid,
    CallStatus: status,
    Direction: "inbound",
    From: from,
    To: to,
  });
}

// Twilio's status callback of a text we sent (no Direction: From is our number).
export function signedTwilioMessageStatus({ messageSid, to, status, errorCode }) {
  return signedTwilioForm({
    AccountSid: TWILIO_ACCOUNT_SID,
    ApiVersion: "2010-04-01",
    From: OUR_NUMBER,
    MessageSid: messageSid,
    MessageStatus: status,
    SmsSid: messageSid,
    SmsStatus: status,
    To: to,
    ...(errorCode ? { ErrorCode: errorCode } : {}),
  });
}

// --- OpenPhone (HMAC-SHA256 over "<ts ms>.<body>", openphone-signature hmac;1;ts;b64) ---

// The normalizer (core/normalize/openphone_object.cpp) reads data.object.{id, from, to[0],
// direction, text or body}; the event id is the top-level id.
export function openPhoneTextReceived({ from, to = OUR_NUMBER, text }) {
  const eventId = `EV${hex(16)}`;
  const messageId = `AC${hex(16)}`;
  const createdAt = new Date().toISOString();
  const body = JSON.stringify({
    id: eventId,
    object: "event",
    apiVersion: "v3",
    createdAt,
    type: "message.received",
    data: {
      object: {
        id: messageId,
        object: "message",
        from,
        to: [to],
        direction: "incoming",
        body: text,
        media: [],
        status: "received",
        createdAt,
        userId: "USfake0001",
        phoneNumberId: "PNfake0001",
        conversationId: "CNfake0001",
      },
    },
  });
  return { eventId, messageId, body };
}

export function signedOpenPhone(body) {
  const request = {
    method: "POST",
    path: "/webhooks/openphone",
    headers: { "content-type": "application/json" },
    body: encode(body),
  };
  return signRequest(request, { scheme: "openphone", secret: "openphone-fake-test-secret" });
}
