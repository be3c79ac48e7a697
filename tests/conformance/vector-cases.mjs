// Conformance cases generated from the published vectors of tests/vectors/, so each runs
// on every target exactly as the unit tests run it natively: the crypto through
// POST /diagnostics/verify (config.json sets "diagnostics": true), GitHub's example also as
// a real delivery to the github-vector source, whose secret is the published one.
//   ed25519       every Wycheproof case (valid/invalid as its result says) and RFC 8032 7.1
//   hmac-sha256   the Standard Webhooks vector (valid and invalid), GitHub's vector
//   hmac-sha1     each Twilio vector over its exact signed string
import { readFileSync } from "node:fs";

const read = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8"));
const hex = (text) => Buffer.from(text, "utf8").toString("hex");
const b64hex = (text) => Buffer.from(text, "base64").toString("hex");

function verifyCase(name, request, valid) {
  return {
    name,
    faults: [],
    request: {
      method: "POST",
      path: "/diagnostics/verify",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    },
    expect: {
      status: 200,
      headers: { "content-type": "application/json" },
      body: { valid },
      body_text: JSON.stringify({ valid }),
    },
  };
}

// The last byte of a hex MAC, flipped: the same vector made invalid.
const flipped = (macHex) => macHex.slice(0, -2) + (parseInt(macHex.slice(-2), 16) ^ 0x01).toString(16).padStart(2, "0");

function wycheproofCases() {
  const file = read("../vectors/wycheproof/ed25519_test.json");
  const cases = [];
  for (const group of file.testGroups) {
    for (const test of group.tests) {
      // libsodium's verdict is the only one: "acceptable" would need one, and there are none.
      if (test.result !== "valid" && test.result !== "invalid") {
        throw new Error(`Wycheproof tcId ${test.tcId} is '${test.result}': decide what libsodium says first`);
      }
      const about = test.comment || test.flags.join(", ");
      cases.push(
        verifyCase(
          `vector: Wycheproof Ed25519 tcId ${test.tcId} (${about}) is ${test.result}`,
          { scheme: "ed25519", public_key: group.publicKey.pk, message: test.msg, signature: test.sig },
          test.result === "valid",
        ),
      );
    }
  }
  if (cases.length !== file.numberOfTests) {
    throw new Error(`Wycheproof: ${cases.length} cases read, the file says ${file.numberOfTests}`);
  }
  return cases;
}

function rfc8032Cases(vectors) {
  return vectors.ed25519_rfc8032.map((v) =>
    verifyCase(
      `vector: ${v.source} verifies`,
      { scheme: "ed25519", public_key: v.public_key, message: v.message, signature: v.signature },
      true,
    ),
  );
}

function standardWebhooksCases(vectors) {
  return vectors.standard_webhooks.flatMap((v) => {
    const key = b64hex(v.secret.replace(/^whsec_/, ""));
    const message = hex(`${v["webhook-id"]}.${v["webhook-timestamp"]}.${v.body}`);
    const mac = (header) => b64hex(header.replace(/^v1,/, ""));
    return [
      verifyCase(`vector: ${v.source}: the signature verifies`,
        { scheme: "hmac-sha256", key, message, mac: mac(v["webhook-signature"]) }, true),
      verifyCase(`vector: ${v.source}: the invalid signature does not`,
        { scheme: "hmac-sha256", key, message, mac: mac(v.invalid_signature) }, false),
    ];
  });
}

// Twilio signs the URL and then, for forms, every parameter sorted by name then value.
function twilioSignedString(v) {
  const params = [...v.params].sort(([n1, v1], [n2, v2]) => (n1 < n2 ? -1 : n1 > n2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return v.url + params.map(([name, value]) => name + value).join("");
}

function twilioCases(vectors) {
  return vectors.twilio.flatMap((v) => {
    const key = hex(v.auth_token);
    const message = hex(twilioSignedString(v));
    const mac = b64hex(v["X-Twilio-Signature"]);
    return [
      verifyCase(`vector: ${v.source}: the signature verifies`, { scheme: "hmac-sha1", key, message, mac }, true),
      verifyCase(`vector: ${v.source}: a flipped bit does not`,
        { scheme: "hmac-sha1", key, message, mac: flipped(mac) }, false),
    ];
  });
}

function githubCases(vectors) {
  return vectors.github.flatMap((v, i) => {
    const mac = v.value.replace(/^sha256=/, "");
    const delivery = (name, body, expect) => ({
      name,
      faults: [],
      request: {
        method: "POST",
        path: "/webhooks/github-vector",
        headers: {
          "content-type": "application/json",
          "x-github-event": "ping",
          "x-github-delivery": `72d3162e-cc78-11e3-81ab-4c9367dc09${String(58 + i).padStart(2, "0")}`,
          [v.header.toLowerCase()]: v.value,
        },
        body,
      },
      expect: { status: expect.status, headers: { "content-type": "application/json" }, body: expect.body },
    });
    const error = (status, code, message) => ({ status, body: { error: { code, message } } });
    return [
      verifyCase(`vector: ${v.source}: the signature verifies`,
        { scheme: "hmac-sha256", key: hex(v.secret), message: hex(v.body), mac }, true),
      verifyCase(`vector: ${v.source}: a flipped bit does not`,
        { scheme: "hmac-sha256", key: hex(v.secret), message: hex(v.body), mac: flipped(mac) }, false),
      // "Hello, World!" is not JSON: a 400 malformed_body proves the signature held.
      delivery(`vector: ${v.source}, delivered: verified, then 400 malformed_body (not JSON)`, v.body,
        error(400, "malformed_body", "body is not valid JSON")),
      delivery(`vector: ${v.source}, delivered with one character changed: 401 bad_signature`,
        v.body.replace("!", "?"), error(401, "bad_signature", "signature does not match")),
    ];
  });
}

export function vectorCases() {
  const vectors = read("../vectors/signatures.json");
  return [
    ...wycheproofCases(),
    ...rfc8032Cases(vectors),
    ...standardWebhooksCases(vectors),
    ...twilioCases(vectors),
    ...githubCases(vectors),
  ];
}
