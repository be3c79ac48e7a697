// The whole call.initiated pipeline per delivery in V8 (docs/reception.md): verify →
// normalize → one ledger `receive` (dedupe, screening, call state, audit
// entry, queued commands) → 200, through the Wasm runtime (the WASI build and the
// Emscripten build) with every effect performed in-process the way tests/js/wasi-host.mjs
// performs it: KV in a Map, each object its own sql.js database (real SQLite in Wasm)
// with one transaction per call, storage.* in its _storage table (worker-shim's
// object-storage.js), the step loop of worker-shim/effects.js.
//   node bench/pipeline-wasm-bench.mjs   → a table, and build/bench/pipeline-wasm.json
//
// The same deliveries as bench/pipeline_bench.cpp: a fixed clock, a tenant configured like
// tests/scenarios/targets.mjs's receptionConfig (known-only), a Telnyx provider whose
// base_url is never contacted (alarm.set is recorded, no alarm ever fires), and every
// delivery a new call with a fresh caller, signed outside the timed region:
//   new          a fresh unknown caller: rejected with a message (answer + speak queued)
//   registered   a fresh caller put in the registry beforehand: authenticated, answered
//   duplicate    the same delivery again (a provider retry)
// When build/bench/native.json holds bench/pipeline_bench.cpp's figures (bench/run.sh runs
// it first), each row shows the native figures beside it as ratios.
import { generateKeyPairSync, sign } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";

import { at, b64, BUILDS, mean, median, nativeFigures, NOW_S, openHost, printTable, responseOf } from "./wasm-host.mjs";

const OUTPUT = at("build/bench/pipeline-wasm.json");

const WARMUP = Number(process.env.PIPELINE_BENCH_WARMUP ?? 200);
const DELIVERIES = Number(process.env.PIPELINE_BENCH_DELIVERIES ?? 1500);

// A fixed clock (wasm-host.mjs), as natively, so the pre-signed deliveries stay fresh.
const OCCURRED_AT = "2023-11-14T22:13:20.000000Z";
// tests/scenarios/deliveries.mjs
const OUR_NUMBER = "+18886115384";
const REGISTERED = "+15555550123";
const ALLOWED = "+15555550124";
const BLOCKED = "+15555550666";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const rawPublicKey = publicKey.export({ format: "der", type: "spki" }).subarray(-32);

// receptionConfig, Telnyx only; the same document as bench/pipeline_bench.cpp's.
const INIT = {
  config: {
    sources: { telnyx: { kind: "telnyx", public_keys: [b64(rawPublicKey)], tolerance_s: 300 } },
    tenants: {
      acme: {
        numbers: [OUR_NUMBER],
        registry: { [REGISTERED]: "alice.x" },
        allow: [ALLOWED],
        block: [BLOCKED],
        policy: {
          screening: "known-only",
          reject_message: "Known callers only. Text us & we call back in < 1 hour.",
          auto_reply: [{ when: { priority: "urgent" }, text: "We got your message." }],
          auto_reply_window_s: 3600,
        },
      },
    },
    providers: {
      telnyx: {
        api_key: "KEYfake-telnyx-api-key-for-benchmarks-0001",
        base_url: "http://127.0.0.1:9",
        voice: "female",
        language: "en-US",
      },
    },
    outbound: { max_attempts: 3, base_delay_ms: 200, max_delay_ms: 1000 },
  },
  env: {},
};

// A unique call (and caller) per delivery across the run; +1 555 NXX XXXX, N in 2–9.
let serial = 0;
const nextSerial = () => ++serial;
const freshCaller = (n) => `+1555${2000000 + (n % 8000000)}`;

// A signed call.initiated as tests/scenarios/deliveries.mjs builds it, with STIR/SHAKEN,
// as a step input.
function signedDelivery(n, caller) {
  const id = n.toString(16).padStart(16, "0");
  const ccid = `v3:bench-${id}`;
  const body = JSON.stringify({
    data: {
      record_type: "event",
      event_type: "call.initiated",
      id: `0ccc7b54-4df3-4bca-${id}`,
      occurred_at: OCCURRED_AT,
      payload: {
        call_control_id: ccid,
        call_leg_id: `leg-${ccid}`,
        call_session_id: `session-${ccid}`,
        connection_id: "1684641123236054244",
        from: caller,
        to: OUR_NUMBER,
        direction: "incoming",
        state: "parked",
        shaken_stir_attestation: "A",
        shaken_stir_validated: true,
      },
    },
    meta: { attempt: 1, delivered_to: "https://reception.example.com/webhooks/telnyx" },
  });
  const ts = String(NOW_S);
  const signature = sign(null, Buffer.from(`${ts}|${body}`), privateKey);
  return {
    caller,
    input: {
      op: "request",
      request: {
        method: "POST",
        path: "/webhooks/telnyx",
        query: "",
        headers: [
          ["content-type", "application/json"],
          ["telnyx-timestamp", ts],
          ["telnyx-signature-ed25519", b64(signature)],
        ],
        body_b64: b64(body),
      },
    },
  };
}

const signedBatch = (count) =>
  Array.from({ length: count }, () => {
    const n = nextSerial();
    return signedDelivery(n, freshCaller(n));
  });

// A step input → the webhook's answer, checked: 200 with the expected duplicate flag.
async function deliver(host, input, duplicate) {
  const { status, body } = responseOf(await host.request(input));
  if (status !== 200 || !body.includes(`"duplicate":${duplicate}`)) {
    throw new Error(`delivery answered ${status}: ${body}`);
  }
}

// Times each delivery of inputs on its own (µs); steps counted over the timed ones only.
async function timed(host, inputs, duplicate) {
  host.resetSteps();
  const times = [];
  for (const input of inputs) {
    const start = performance.now();
    await deliver(host, input, duplicate);
    times.push((performance.now() - start) * 1000);
  }
  return {
    median_us: median(times),
    mean_us: mean(times),
    p90_us: [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)],
    steps_per_delivery: host.steps / inputs.length,
    // Of the mean: the time inside fd_step (the core, JSON in and out, the copies); the rest
    // is the host's effects (sql.js, the Maps) and the JS step loop.
    in_runtime_us: (host.stepMs * 1000) / inputs.length,
    deliveries: inputs.length,
  };
}

// A fresh host per variant, its ledger's tables made by a first delivery; then warm-up
// deliveries of the same kind, then the timed ones.
async function variant(build, name) {
  const host = await openHost(build, INIT);
  try {
    await deliver(host, signedDelivery(nextSerial(), REGISTERED).input, false);
    if (name === "duplicate") {
      const { input } = signedBatch(1)[0];
      await deliver(host, input, false);
      for (let i = 0; i < WARMUP; i++) await deliver(host, input, true);
      const figures = await timed(host, Array(DELIVERIES).fill(input), true);
      const audit = JSON.parse(await host.ledger({ op: "audit_verify" }));
      if (!audit.ok || audit.entries !== 2) throw new Error(`duplicate: audit_verify ${JSON.stringify(audit)}`);
      return { ...figures, audit_entries: audit.entries };
    }
    const warmup = signedBatch(WARMUP);
    const deliveries = signedBatch(DELIVERIES);
    if (name === "registered") {
      for (const { caller } of [...warmup, ...deliveries]) {
        await host.ledger({ op: "registry_put", phone: caller, namespace: "bench.x" });
      }
    }
    for (const { input } of warmup) await deliver(host, input, false);
    const figures = await timed(
      host,
      deliveries.map((d) => d.input),
      false,
    );
    // The work was done: one decision in the audit chain per call (plus the registry
    // edits), and the chain verifies.
    const audit = JSON.parse(await host.ledger({ op: "audit_verify" }));
    const expected = 1 + (WARMUP + DELIVERIES) * (name === "registered" ? 2 : 1);
    if (!audit.ok || audit.entries !== expected) {
      throw new Error(`${name}: audit_verify ${JSON.stringify(audit)}, expected ${expected} entries`);
    }
    return { ...figures, audit_entries: audit.entries };
  } finally {
    host.close();
  }
}

const NATIVE_PEERS = {
  new: { memory: "BM_Pipeline_StepProtocol_MemorySqlite_New", host: "BM_Pipeline_Host_New/tmpfs" },
  registered: { memory: "BM_Pipeline_StepProtocol_MemorySqlite_Registered", host: "BM_Pipeline_Host_Registered/tmpfs" },
  duplicate: { memory: "BM_Pipeline_StepProtocol_MemorySqlite_Duplicate", host: "BM_Pipeline_Host_Duplicate/tmpfs" },
};

// bench/pipeline_bench.cpp's figures (µs per delivery, mean over its iterations).
const native = await nativeFigures("BM_Pipeline_");
const result = {
  node: process.version,
  v8: process.versions.v8,
  deliveries: DELIVERIES,
  warmup: WARMUP,
  pipeline: {},
  native,
};
const rows = [];
for (const [buildName, build] of Object.entries(BUILDS)) {
  if (!existsSync(build.path)) {
    console.log(`${buildName}: ${build.path} is missing, skipped`);
    continue;
  }
  result.pipeline[buildName] = {};
  for (const name of Object.keys(NATIVE_PEERS)) {
    const figures = await variant(build, name);
    result.pipeline[buildName][name] = figures;
    const notes = [
      `${figures.steps_per_delivery} steps`,
      `median ${figures.median_us.toFixed(0)} µs`,
      `${figures.in_runtime_us.toFixed(0)} µs in fd_step`,
    ];
    const memory = native[NATIVE_PEERS[name].memory];
    const host = native[NATIVE_PEERS[name].host];
    const versus = (peer, what) => `${(figures.mean_us / peer.us).toFixed(2)}x ${what} (${peer.us.toFixed(0)} µs)`;
    if (memory) notes.push(versus(memory, "native step protocol"));
    if (host) notes.push(versus(host, "native host on tmpfs"));
    rows.push([`${buildName}: call.initiated ${name}`, `${figures.mean_us.toFixed(0)} µs`, notes.join("; ")]);
  }
}
for (const [name, label] of [
  ["BM_Pipeline_Host_New/disk", "native host, disk: new"],
  ["BM_Pipeline_Host_Registered/disk", "native host, disk: registered"],
  ["BM_Pipeline_Host_Duplicate/disk", "native host, disk: duplicate"],
]) {
  if (native[name]) rows.push([label, `${native[name].us.toFixed(0)} µs`, "synchronous=FULL on the temp directory"]);
}

printTable(
  `Frontdesk call.initiated pipeline per delivery — Node ${process.version} (V8 ${process.versions.v8}), ` +
    `mean of ${DELIVERIES}`,
  rows,
);

await mkdir(at("build/bench"), { recursive: true });
await writeFile(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${OUTPUT}`);
