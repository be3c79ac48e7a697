// Helpers for the API tests (docs/api.md): a target started with the bootstrap secret and a
// second tenant, requests to /api/v1 with or without a token, tokens minted through the
// bootstrap secret, and calls and texts made by signed webhook deliveries.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

import {
  OUR_NUMBER,
  newCallControlId,
  openPhoneTextReceived,
  signedOpenPhone,
  signedTelnyx,
  telnyxCallEvent,
} from "../scenarios/deliveries.mjs";
import { TARGETS, receptionConfig, receptionEnv, startTarget } from "../scenarios/targets.mjs";

export { TARGETS };

// Clearly fake: the bootstrap secret the targets get (process env natively, a binding in the Worker).
export const BOOTSTRAP_TOKEN = "fake-bootstrap-secret-for-frontdesk-api-tests-0001";
export const GLOBEX_NUMBER = "+18886115399";
export const TELNYX_CONNECTION_ID = "1684641123236054244";

export const SCOPES = [
  "calls:read",
  "calls:write",
  "messages:read",
  "messages:write",
  "registry:read",
  "registry:write",
  "events:read",
  "outbound:write",
  "endpoints:read",
  "endpoints:write",
  "metrics:read",
  "audit:read",
  "tokens:admin",
  "platform",
];
export const allBut = (scope) => SCOPES.filter((s) => s !== scope);

export const UNAUTHENTICATED = { error: { code: "unauthenticated", message: "a valid API token is required" } };

// receptionConfig (tenant acme) plus tenant globex with its own number, the Telnyx
// connection id outbound calls need, and `api` settings when given.
export function apiConfig({ providerUrl, api }) {
  const config = receptionConfig({ providerUrl });
  config.tenants.globex = { numbers: [GLOBEX_NUMBER] };
  config.providers.telnyx.connection_id = TELNYX_CONNECTION_ID;
  if (api) config.api = api;
  return config;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Encodes a path segment, keeping the characters a segment may hold as they are (ids with ':').
export const segment = (value) => encodeURIComponent(value).replace(/%3A/gi, ":").replace(/%40/gi, "@");

// Starts a scenario target with the bootstrap secret; adds api(), mint(), call(), text().
// db: natively, the database file to keep across a restart.
export async function startApiTarget(kind, { config, env = {}, db, persistDir }) {
  const t = await startTarget(kind, {
    config,
    env: { ...receptionEnv(), FRONTDESK_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN, ...env },
    db,
    persistDir,
  });

  // → {status, headers ({lower-case name: value}), text, json (null unless JSON), header(name)}.
  // options: token (a Bearer token), authorization (the raw header instead), body (an
  // object is sent as JSON; a string as it is), headers, query.
  async function api(method, path, { token, authorization, body, headers = {}, query = "" } = {}) {
    const sent = { ...headers };
    if (authorization !== undefined) sent.authorization = authorization;
    else if (token !== undefined) sent.authorization = `Bearer ${token}`;
    let bytes;
    if (body !== undefined) {
      bytes = encoder.encode(typeof body === "string" ? body : JSON.stringify(body));
      if (!Object.keys(sent).some((name) => name.toLowerCase() === "content-type")) sent["content-type"] = "application/json";
    }
    const response = await t.target.handle({ method, path, query, headers: sent, body: bytes });
    const text = decoder.decode(response.body);
    const byName = {};
    for (const [name, value] of response.headers) byName[name.toLowerCase()] = value;
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    const what = `${method} ${path}${query ? `?${query}` : ""} → ${response.status} ${text}`;
    return { status: response.status, headers: byName, text, json, what, header: (name) => byName[name.toLowerCase()] };
  }

  // A token minted with the bootstrap secret → the 201 answer's body (token in .token).
  async function mint({ tenant = "acme", name = "test", scopes, expires_in, rate_limit } = {}) {
    const body = { tenant, name, scopes };
    if (expires_in !== undefined) body.expires_in = expires_in;
    if (rate_limit !== undefined) body.rate_limit = rate_limit;
    const answer = await api("POST", "/api/v1/tokens", { token: BOOTSTRAP_TOKEN, body });
    assert.equal(answer.status, 201, answer.what);
    assert.match(answer.json?.token ?? "", /^fd_[0-9A-Za-z]{40}$/, answer.what);
    return answer.json;
  }

  // An inbound Telnyx call (call.initiated) to `to` → {ccid (its call control id), ack}.
  async function deliverCall({ from, to = OUR_NUMBER, occurredAt } = {}) {
    const ccid = newCallControlId();
    const event = telnyxCallEvent({ type: "call.initiated", ccid, from, to, ...(occurredAt ? { occurredAt } : {}) });
    const ack = await t.acknowledged(signedTelnyx(event.body));
    assert.equal(ack.duplicate, false);
    return { ccid, ack };
  }
  // The same → its call control id.
  const call = async (fields) => (await deliverCall(fields)).ccid;

  // An inbound OpenPhone text → {eventId, messageId, body, ack}.
  async function text({ from, to = OUR_NUMBER, text: words = "Hello, is anyone there?" }) {
    const delivery = openPhoneTextReceived({ from, to, text: words });
    const ack = await t.acknowledged(signedOpenPhone(delivery.body));
    assert.equal(ack.duplicate, false);
    return { ...delivery, ack };
  }

  return { ...t, api, mint, deliverCall, call, text };
}

// A token nobody issued: the right form, unknown to every ledger.
export function unknownToken() {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return `fd_${[...randomBytes(40)].map((byte) => alphabet[byte % 62]).join("")}`;
}

export const mediaType = (answer) => (answer.header("content-type") ?? "").split(";")[0].trim().toLowerCase();

// The error body's shape and code (the message is fixed only for 401).
export function assertError(answer, status, code) {
  assert.equal(answer.status, status, answer.what);
  assert.equal(mediaType(answer), "application/json", answer.what);
  assert.equal(answer.json?.error?.code, code, answer.what);
  assert.equal(typeof answer.json.error.message, "string", answer.what);
  assert.ok(answer.json.error.message.length > 0, answer.what);
}

export function assertUnauthenticated(answer) {
  assert.equal(answer.status, 401, answer.what);
  assert.equal(mediaType(answer), "application/json", answer.what);
  assert.deepEqual(answer.json, UNAUTHENTICATED, answer.what);
}

// RateLimit-Limit, -Remaining and -Reset: every authenticated answer carries them.
export function assertRateLimitHeaders(answer) {
  for (const name of ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"]) {
    assert.match(answer.header(name) ?? "", /^\d+$/, `${name} on ${answer.what}`);
  }
  assert.ok(Number(answer.header("ratelimit-remaining")) <= Number(answer.header("ratelimit-limit")), answer.what);
  assert.ok(Number(answer.header("ratelimit-reset")) <= 60, `RateLimit-Reset is within the minute: ${answer.what}`);
}

// An authenticated success: the status, JSON (unless 204, which has no body) and the headers.
export function assertOk(answer, status) {
  assert.equal(answer.status, status, answer.what);
  if (status === 204) assert.equal(answer.text, "", answer.what);
  else {
    assert.equal(mediaType(answer), "application/json", answer.what);
    assert.notEqual(answer.json, null, answer.what);
  }
  assertRateLimitHeaders(answer);
}

// A list answer: {"data":[…],"has_more":bool,"next_cursor":"…"|null}.
export function assertList(answer) {
  assertOk(answer, 200);
  assert.deepEqual(Object.keys(answer.json).sort(), ["data", "has_more", "next_cursor"], answer.what);
  assert.ok(Array.isArray(answer.json.data), answer.what);
  assert.equal(typeof answer.json.has_more, "boolean", answer.what);
  if (answer.json.has_more) assert.equal(typeof answer.json.next_cursor, "string", answer.what);
  else assert.equal(answer.json.next_cursor, null, answer.what);
  return answer.json;
}

// Every page of a list route → the items, in order, and the pages.
export async function allPages(t, path, token, { limit = 200, query = "", between } = {}) {
  const items = [];
  const pages = [];
  let cursor = null;
  for (let page = 0; page < 1000; page++) {
    const parts = [`limit=${limit}`];
    if (query) parts.push(query);
    if (cursor) parts.push(`cursor=${encodeURIComponent(cursor)}`);
    const list = assertList(await t.api("GET", path, { token, query: parts.join("&") }));
    assert.ok(list.data.length <= limit, `a page holds at most limit=${limit} items`);
    pages.push(list.data);
    items.push(...list.data);
    if (!list.has_more) return { items, pages };
    cursor = list.next_cursor;
    if (between) await between(page);
  }
  throw new Error(`${path}: more than 1000 pages`);
}

// The API id of the call whose provider call id is ccid (found in the list).
export async function callIdOf(t, token, ccid) {
  const { items } = await allPages(t, "/api/v1/calls", token);
  const found = items.filter((c) => c.provider_call_id === ccid);
  assert.equal(found.length, 1, `one call with provider_call_id ${ccid}: ${JSON.stringify(items)}`);
  assert.equal(typeof found[0].id, "string");
  return found[0].id;
}

// An identity's id: the call's identity_id when the API shows one, else the ledger's
// (through the diagnostics route). → {id, via}.
export async function identityIdOf(t, token, callId, phone, tenant = "acme") {
  const answer = await t.api("GET", `/api/v1/calls/${segment(callId)}`, { token });
  assert.equal(answer.status, 200, answer.what);
  if (typeof answer.json.identity_id === "string") return { id: answer.json.identity_id, via: "call" };
  const { identity } = await t.ledger({ op: "identity", phone }, tenant);
  assert.ok(identity?.id, `the ledger knows ${phone}: ${JSON.stringify(identity)}`);
  return { id: String(identity.id), via: "ledger" };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
