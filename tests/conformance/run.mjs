// The conformance corpus on every target: each case in cases/*.json, and each generated
// from the published vectors (vector-cases.mjs), is sent to the native server, the WASI
// module and the Worker (Emscripten, in workerd), each checked against its expectation;
// then the three answers must agree byte for byte, apart from the values a case names
// run-specific (patterns.mjs). A case with "sign" is signed just before it is sent
// (signing.mjs), with the fake keys of fixtures.json. Cases run in file order on each
// target, so a repeat can follow its original.
//   node --test --test-concurrency=1 tests/conformance/   (CONFORMANCE_TARGETS=wasi,emscripten to restrict)
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { createNativeTarget } from "../js/native-target.mjs";
import { createWasiTarget } from "../js/wasi-host.mjs";
import { createWorkerTarget } from "../js/worker-target.mjs";
import { checkRunSpecific, maskedBody, runSpecificPointers } from "./patterns.mjs";
import { fixtureEnv, signRequest } from "./signing.mjs";
import { vectorCases } from "./vector-cases.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const ALL_TARGETS = ["native", "wasi", "emscripten"];

// Resolved by env:NAME references of config.json, given the same to every target.
const ENV = fixtureEnv();
const CONFIG = JSON.parse(readFileSync(here("config.json"), "utf8"));

function selectedTargets() {
  const wanted = process.env.CONFORMANCE_TARGETS;
  if (!wanted) return ALL_TARGETS;
  const list = wanted.split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of list) if (!ALL_TARGETS.includes(name)) throw new Error(`unknown target '${name}'`);
  return list;
}

function startTarget(name, faults) {
  switch (name) {
    case "native":
      return createNativeTarget({ configPath: here("config.json"), env: ENV, faults });
    case "wasi":
      return createWasiTarget({ config: CONFIG, env: ENV, faults });
    case "emscripten":
      return createWorkerTarget({ config: CONFIG, env: ENV, faults });
  }
  throw new Error(`unknown target ${name}`);
}

const faultKeyOf = (c) => [...(c.faults ?? [])].sort().join(",");

function loadCases() {
  const files = readdirSync(here("cases")).filter((file) => file.endsWith(".json")).sort();
  const fromFiles = files.flatMap((file) =>
    JSON.parse(readFileSync(here(`cases/${file}`), "utf8")).map((c) => ({ ...c, file })),
  );
  const vectors = vectorCases().map((c) => ({ ...c, file: "vector-cases.mjs" }));
  console.log(`conformance: ${vectors.length} vector cases from tests/vectors`);
  const cases = [...fromFiles, ...vectors];
  const seen = new Map(); // name → case, in run order
  for (const c of cases) {
    assert.ok(!seen.has(c.name), `duplicate case name: ${c.name}`);
    // same_as compares with an answer from the same start of the target, given before.
    for (const name of Object.values(c.same_as ?? {})) {
      const first = seen.get(name);
      assert.ok(first, `${c.name}: same_as names '${name}', which is not an earlier case`);
      assert.equal(faultKeyOf(first), faultKeyOf(c), `${c.name}: same_as names a case with other faults`);
    }
    requestOf(c); // a case that cannot be signed is refused now, not on each target
    seen.set(c.name, c);
  }
  return cases;
}

// Cases that need the same faults share one start of each target.
function groupByFaults(cases) {
  const groups = new Map();
  for (const c of cases) {
    const key = faultKeyOf(c);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  return groups;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

// A body given as body_file is a documented sample under samples/ (samples/README.md), sent
// byte for byte.
function bodyOf({ body, body_b64, body_file }) {
  if (body_file !== undefined) return readFileSync(here(body_file));
  return body_b64 !== undefined ? Buffer.from(body_b64, "base64") : encoder.encode(body ?? "");
}

// The case's request, signed now when it says "sign".
function requestOf(c) {
  const { method = "GET", path, query = "", headers = {} } = c.request;
  const bytes = bodyOf(c.request);
  return signRequest({ method, path, query, headers, body: new Uint8Array(bytes) }, c.sign, { config: CONFIG });
}

// A header's value as fetch's Headers would give it: repeated entries joined by ", ".
function headerValue(pairs, name) {
  const values = pairs.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return values.length ? values.join(", ") : null;
}

// earlier(name): the parsed body of an earlier case on this target (for same_as).
function checkCase(c, target, response, earlier) {
  const { expect } = c;
  const text = decoder.decode(response.body);
  assert.equal(response.status, expect.status, `status (body: ${text})`);
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    assert.equal(headerValue(response.headers, name), value, `header ${name}`);
  }
  if (expect.body_text !== undefined) {
    assert.equal(text, expect.body_text.replaceAll("{{target}}", target), "body text");
  }
  if (expect.body !== undefined || runSpecificPointers(c).length > 0) {
    const body = checkRunSpecific(c, target, JSON.parse(text), earlier);
    if (expect.body !== undefined) assert.deepEqual(body, expect.body, "body");
  }
}

// expect.event: the fields of the event the delivery recorded, read back from its tenant's
// ledger (the newest event there, which must carry the answer's event_id).
async function checkRecordedEvent(c, instance, response) {
  const wanted = c.expect.event;
  if (!wanted) return;
  const answer = parsedBody(response);
  const tenant = wanted.tenant ?? "default";
  const read = await instance.handle({
    method: "POST",
    path: `/diagnostics/objects/ledger/${tenant}`,
    query: "",
    headers: { "content-type": "application/json" },
    body: encoder.encode(JSON.stringify({ op: "list_events", limit: 1 })),
  });
  const text = decoder.decode(read.body);
  assert.equal(read.status, 200, `reading ledger ${tenant}: ${text}`);
  const [event] = JSON.parse(text).events;
  assert.ok(event, `no event in ledger ${tenant}`);
  if (answer?.event_id) assert.equal(event.event_id, answer.event_id, `the newest event of ${tenant}`);
  const seen = Object.fromEntries(Object.keys(wanted).map((name) => [name, event[name]]));
  assert.deepEqual(seen, wanted, "the recorded event");
}

function parsedBody(response) {
  try {
    return response ? JSON.parse(decoder.decode(response.body)) : undefined;
  } catch {
    return undefined;
  }
}

const targets = selectedTargets();
const cases = loadCases();
const groups = groupByFaults(cases);
const observed = new Map(targets.map((t) => [t, new Map()])); // target → case name → response
const tally = new Map(targets.map((t) => [t, { passed: 0, failed: 0 }]));

for (const target of targets) {
  describe(`conformance ${target}`, () => {
    for (const [faultKey, group] of groups) {
      describe(`faults: ${faultKey || "none"}`, () => {
        let instance;
        before(async () => {
          instance = await startTarget(target, faultKey ? faultKey.split(",") : []);
        });
        after(async () => {
          await instance?.close();
        });
        for (const c of group) {
          it(c.name, async () => {
            try {
              assert.ok(instance, `${target} did not start`);
              const response = await instance.handle(requestOf(c));
              observed.get(target).set(c.name, response);
              checkCase(c, target, response, (name) => parsedBody(observed.get(target).get(name)));
              await checkRecordedEvent(c, instance, response);
              tally.get(target).passed++;
            } catch (error) {
              tally.get(target).failed++;
              throw error;
            }
          });
        }
      });
    }
  });
}

describe("conformance: the targets agree", () => {
  for (const c of cases) {
    it(c.name, (t) => {
      if (targets.length < 2) return t.skip("one target only");
      const [first, ...rest] = targets;
      const reference = observed.get(first).get(c.name);
      assert.ok(reference, `no answer from ${first}`);
      const names = Object.keys(c.expect.headers ?? {});
      const view = (response) => ({
        status: response.status,
        headers: Object.fromEntries(names.map((n) => [n, headerValue(response.headers, n)])),
        body: maskedBody(c, response.body),
      });
      for (const other of rest) {
        const response = observed.get(other).get(c.name);
        assert.ok(response, `no answer from ${other}`);
        assert.deepEqual(view(response), view(reference), `${other} differs from ${first}`);
      }
    });
  }

  after(() => {
    for (const [target, { passed, failed }] of tally) {
      // A case that never ran (its target did not start) counts as failed.
      const missing = cases.length - passed - failed;
      console.log(`conformance ${target}: ${passed} passed, ${failed + missing} failed`);
    }
  });
});
