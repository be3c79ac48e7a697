// The conformance corpus on every target: each case in cases/*.json is sent to the native
// server, the WASI module and the Worker (Emscripten, in workerd), each checked against
// its expectation; then the three answers must agree byte for byte, apart from the fields
// a case names target-specific.
//   node --test tests/conformance/            (CONFORMANCE_TARGETS=wasi,emscripten to restrict)
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { createNativeTarget } from "../js/native-target.mjs";
import { createWasiTarget } from "../js/wasi-host.mjs";
import { createWorkerTarget } from "../js/worker-target.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const ALL_TARGETS = ["native", "wasi", "emscripten"];

// Resolved by env:NAME references of config.json, given the same to every target.
const ENV = { QUO_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" };
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

function loadCases() {
  const files = readdirSync(here("cases")).filter((file) => file.endsWith(".json")).sort();
  const cases = files.flatMap((file) =>
    JSON.parse(readFileSync(here(`cases/${file}`), "utf8")).map((c) => ({ ...c, file })),
  );
  const names = new Set();
  for (const c of cases) {
    assert.ok(!names.has(c.name), `duplicate case name: ${c.name}`);
    names.add(c.name);
  }
  return cases;
}

// Cases that need the same faults share one start of each target.
function groupByFaults(cases) {
  const groups = new Map();
  for (const c of cases) {
    const key = [...(c.faults ?? [])].sort().join(",");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  return groups;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function requestOf(c) {
  const { method = "GET", path, query = "", headers = {}, body, body_b64 } = c.request;
  const bytes = body_b64 !== undefined ? Buffer.from(body_b64, "base64") : encoder.encode(body ?? "");
  return { method, path, query, headers, body: new Uint8Array(bytes) };
}

// A header's value as fetch's Headers would give it: repeated entries joined by ", ".
function headerValue(pairs, name) {
  const values = pairs.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return values.length ? values.join(", ") : null;
}

// JSON pointer (RFC 6901) → [parent, key] in value.
function locate(value, pointer) {
  const tokens = pointer
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  let parent = value;
  for (const token of tokens.slice(0, -1)) parent = parent?.[token];
  return [parent, tokens[tokens.length - 1]];
}

function checkCase(c, target, response) {
  const { expect } = c;
  const text = decoder.decode(response.body);
  assert.equal(response.status, expect.status, `status (body: ${text})`);
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    assert.equal(headerValue(response.headers, name), value, `header ${name}`);
  }
  if (expect.body_text !== undefined) {
    assert.equal(text, expect.body_text.replaceAll("{{target}}", target), "body text");
  }
  if (expect.body !== undefined) {
    const body = JSON.parse(text);
    for (const pointer of c.target_specific ?? []) {
      const [parent, key] = locate(body, pointer);
      assert.equal(parent?.[key], target, `${pointer} names the target`);
      delete parent[key];
    }
    assert.deepEqual(body, expect.body, "body");
  }
}

// The body with each target-specific value masked where it appears in the raw text, so
// the rest can be compared byte for byte between targets.
function maskedBody(c, response) {
  let text = Buffer.from(response.body).toString("latin1"); // bytes, one char each
  if ((c.target_specific ?? []).length === 0) return text;
  const body = JSON.parse(new TextDecoder().decode(response.body));
  for (const pointer of c.target_specific) {
    const [parent, key] = locate(body, pointer);
    const raw = Buffer.from(JSON.stringify(parent?.[key]), "utf8").toString("latin1");
    text = text.split(raw).join("\u0000target-specific\u0000");
  }
  return text;
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
              checkCase(c, target, response);
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
        body: maskedBody(c, response),
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
