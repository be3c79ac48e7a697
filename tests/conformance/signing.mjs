// Signs a conformance case's delivery at run time, so timestamps are fresh. A case says
//   "sign": {"scheme": "telnyx", "secret": "<fixture>", "timestamp_offset_s": 0, "after": "…"}
// and signRequest adds the scheme's headers (SPEC "Signature schemes") to its request:
//   telnyx            Ed25519 over "<ts s>|<body>"        telnyx-signature-ed25519, telnyx-timestamp
//   openphone         HMAC-SHA256 (base64 key) over "<ts ms>.<body>", openphone-signature hmac;1;<ts>;<b64>
//   standard          HMAC-SHA256 (whsec_ stripped, base64 key) over "<id>.<ts s>.<body>", webhook-* "v1,<b64>"
//   standard-ed25519  Ed25519 over the same bytes, webhook-signature "v1a,<b64>"
//   twilio            HMAC-SHA1 over public_url + "?" + query + sorted form name+value; JSON bodies
//                     sign the URL alone, with bodySHA256 (hex SHA-256 of the body) added to the query
//   github            X-Hub-Signature-256 "sha256=<hex HMAC-SHA256 of the body>"
//   stripe            Stripe-Signature "t=<ts s>,v1=<hex HMAC-SHA256 over "<ts>.<body>">" keyed by the whsec_ string
// Options: id (standard: webhook-id), url (twilio: instead of the source's public_url; with
// a query of its own, signed instead of the request's),
// also_secret (a fixture whose entry goes first in the header: rotation, "any one verifies"),
// header/value (for drop-header, garble-header), and after, one step or a list of them:
//   tamper-body            the body changes once signed (its last digit, so it still parses)
//   truncate-signature     the signature loses its last byte    overlong-signature  gains one
//   drop-header            the signature header (or `header`) is left out
//   garble-header          the signature header (or `header`) holds `value` (default "garbled")
//   non-numeric-timestamp  the timestamp (and what is signed) has a letter in it
//   svix-headers           standard: the svix-* names instead of webhook-*
import { createHash, createHmac, createPrivateKey, sign as edSign } from "node:crypto";
import { readFileSync } from "node:fs";

const FIXTURES = JSON.parse(readFileSync(new URL("./fixtures.json", import.meta.url), "utf8"));
const VECTORS = JSON.parse(readFileSync(new URL("../vectors/signatures.json", import.meta.url), "utf8"));
const AFTER_STEPS = new Set([
  "tamper-body",
  "truncate-signature",
  "overlong-signature",
  "drop-header",
  "garble-header",
  "non-numeric-timestamp",
  "svix-headers",
]);

export function fixture(name) {
  const found = FIXTURES.fixtures[name];
  if (!found) throw new Error(`no fixture named '${name}' in fixtures.json`);
  return found;
}

// The values config.json's env:NAME references resolve to, the same for every target.
export function fixtureEnv() {
  const env = {};
  for (const [name, spec] of Object.entries(FIXTURES.env)) {
    if (spec.vector) {
      env[name] = spec.vector.split("/").reduce((value, key) => value[key], VECTORS);
    } else {
      const found = fixture(spec.fixture);
      env[name] = (spec.prefix ?? "") + (found.secret ?? found.public_key_b64);
    }
  }
  return env;
}

// An Ed25519 private key from a 32-byte seed (PKCS#8 is a fixed prefix and the seed).
function ed25519Key(seedHex) {
  const prefix = Buffer.from("302e020100300506032b657004220420", "hex");
  return createPrivateKey({ key: Buffer.concat([prefix, Buffer.from(seedHex, "hex")]), format: "der", type: "pkcs8" });
}

const hmac = (algorithm, key, message) => createHmac(algorithm, key).update(message).digest();
const ed25519 = (secret, message) => edSign(null, message, ed25519Key(fixture(secret).ed25519_seed_hex));
const secretOf = (name) => {
  const value = fixture(name).secret;
  if (value === undefined) throw new Error(`fixture '${name}' is not a secret`);
  return value;
};
const standardKey = (name) => Buffer.from(secretOf(name).replace(/^whsec_/, ""), "base64");

// Each scheme: sign(secret, parts) → signature bytes, and headers(entries, parts) for a
// list of signatures (the first entries from also_secret). `main` is the signature header.
const SCHEMES = {
  telnyx: {
    main: "telnyx-signature-ed25519",
    timestamp: (nowMs) => String(Math.floor(nowMs / 1000)),
    sign: (secret, { ts, body }) => ed25519(secret, Buffer.concat([Buffer.from(`${ts}|`), body])),
    headers: (sigs, { ts }) => ({ "telnyx-signature-ed25519": only(sigs).toString("base64"), "telnyx-timestamp": ts }),
  },
  openphone: {
    main: "openphone-signature",
    timestamp: (nowMs) => String(nowMs),
    sign: (secret, { ts, body }) =>
      hmac("sha256", Buffer.from(secretOf(secret), "base64"), Buffer.concat([Buffer.from(`${ts}.`), body])),
    headers: (sigs, { ts }) => ({
      "openphone-signature": sigs.map((sig) => `hmac;1;${ts};${sig.toString("base64")}`).join(","),
    }),
  },
  standard: {
    main: "webhook-signature",
    timestamp: (nowMs) => String(Math.floor(nowMs / 1000)),
    sign: (secret, parts) => hmac("sha256", standardKey(secret), standardBytes(parts)),
    headers: (sigs, parts) => standardHeaders(sigs.map((sig) => `v1,${sig.toString("base64")}`), parts),
  },
  "standard-ed25519": {
    main: "webhook-signature",
    timestamp: (nowMs) => String(Math.floor(nowMs / 1000)),
    sign: (secret, parts) => ed25519(secret, standardBytes(parts)),
    headers: (sigs, parts) => standardHeaders(sigs.map((sig) => `v1a,${sig.toString("base64")}`), parts),
  },
  twilio: {
    main: "x-twilio-signature",
    sign: (secret, { url, body, json }) => hmac("sha1", secretOf(secret), json ? url : url + sortedParams(body)),
    headers: (sigs) => ({ "x-twilio-signature": only(sigs).toString("base64") }),
  },
  github: {
    main: "x-hub-signature-256",
    sign: (secret, { body }) => hmac("sha256", secretOf(secret), body),
    headers: (sigs) => ({ "x-hub-signature-256": `sha256=${only(sigs).toString("hex")}` }),
  },
  stripe: {
    main: "stripe-signature",
    timestamp: (nowMs) => String(Math.floor(nowMs / 1000)),
    sign: (secret, { ts, body }) => hmac("sha256", secretOf(secret), Buffer.concat([Buffer.from(`${ts}.`), body])),
    headers: (sigs, { ts }) => ({ "stripe-signature": [`t=${ts}`, ...sigs.map((sig) => `v1=${sig.toString("hex")}`)].join(",") }),
  },
};

function only(sigs) {
  if (sigs.length !== 1) throw new Error("this scheme carries one signature: also_secret does not apply");
  return sigs[0];
}

function standardBytes({ id, ts, body }) {
  if (!id) throw new Error("standard signing needs sign.id (the webhook-id)");
  return Buffer.concat([Buffer.from(`${id}.${ts}.`), body]);
}

function standardHeaders(entries, { id, ts }) {
  return { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": entries.join(" ") };
}

// Twilio's form parameters, decoded as the core reads them, sorted by name then value.
function sortedParams(body) {
  const pairs = [...new URLSearchParams(body.toString("latin1"))];
  const order = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  pairs.sort(([n1, v1], [n2, v2]) => order(n1, n2) || order(v1, v2));
  return pairs.map(([name, value]) => name + value).join("");
}

// "1700000000" → "170000000x0": still the right length, not a number.
const garbleTimestamp = (ts) => `${ts.slice(0, -2)}x${ts.slice(-1)}`;

// The last decimal digit of the body, changed: what an attacker rewriting a number does.
function tamper(body) {
  const bytes = Buffer.from(body);
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] >= 0x30 && bytes[i] <= 0x39) {
      bytes[i] = 0x30 + ((bytes[i] - 0x30 + 1) % 10);
      return bytes;
    }
  }
  return Buffer.concat([bytes, Buffer.from(" ")]);
}

function sourceName(path) {
  const match = /^\/webhooks\/([^/]+)$/.exec(path);
  return match ? decodeURIComponent(match[1]) : null;
}

// request: {method, path, query, headers: {name: value}, body: Uint8Array} → a new request
// with the signature headers (and for Twilio JSON, bodySHA256 in the query).
export function signRequest(request, sign, { config, nowMs = Date.now() } = {}) {
  if (!sign) return request;
  const scheme = SCHEMES[sign.scheme];
  if (!scheme) throw new Error(`unknown signing scheme '${sign.scheme}'`);
  const after = [sign.after ?? []].flat();
  for (const step of after) {
    if (!AFTER_STEPS.has(step)) throw new Error(`unknown sign.after step '${step}'`);
  }
  let body = Buffer.from(request.body);
  let query = request.query ?? "";
  const headers = { ...request.headers };
  const parts = { body, id: sign.id };

  if (scheme.timestamp) {
    parts.ts = scheme.timestamp(nowMs + (sign.timestamp_offset_s ?? 0) * 1000);
    if (after.includes("non-numeric-timestamp")) parts.ts = garbleTimestamp(parts.ts);
  } else if (sign.timestamp_offset_s !== undefined || after.includes("non-numeric-timestamp")) {
    throw new Error(`${sign.scheme} signatures carry no timestamp`);
  }
  if (sign.scheme === "twilio") {
    const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
    parts.json = contentType.split(";")[0].trim().toLowerCase() === "application/json";
    if (parts.json) {
      const hash = createHash("sha256").update(body).digest("hex");
      query = query ? `${query}&bodySHA256=${hash}` : `bodySHA256=${hash}`;
    }
    const publicUrl = sign.url ?? config?.sources?.[sourceName(request.path)]?.public_url;
    if (!publicUrl) throw new Error("twilio signing needs the source's public_url (or sign.url)");
    // A sign.url with a query of its own is signed as it is, whatever the request's query.
    parts.url = query && !publicUrl.includes("?") ? `${publicUrl}?${query}` : publicUrl;
  }

  let signature = scheme.sign(sign.secret, parts);
  if (after.includes("truncate-signature")) signature = signature.subarray(0, signature.length - 1);
  if (after.includes("overlong-signature")) signature = Buffer.concat([signature, Buffer.from([0])]);
  const signatures = sign.also_secret ? [scheme.sign(sign.also_secret, parts), signature] : [signature];
  Object.assign(headers, scheme.headers(signatures, parts));

  if (after.includes("svix-headers")) {
    if (!sign.scheme.startsWith("standard")) throw new Error("svix-headers is for standard signatures");
    for (const name of ["id", "timestamp", "signature"]) {
      headers[`svix-${name}`] = headers[`webhook-${name}`];
      delete headers[`webhook-${name}`];
    }
  }
  const target = sign.header ?? (after.includes("svix-headers") ? "svix-signature" : scheme.main);
  if (after.includes("drop-header")) delete headers[target];
  if (after.includes("garble-header")) headers[target] = sign.value ?? "garbled";
  if (after.includes("tamper-body")) body = tamper(body);

  return { ...request, query, headers, body: new Uint8Array(body) };
}
