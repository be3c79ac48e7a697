// The Wasm builds in V8 (Node): module size, compile+instantiate time, and the cost of
// the step loop for GET /health?deep=1 with an instant backend, so what is measured is
// the core plus the JS boundary (copy in, JSON, copy out) and nothing else.
//   node bench/wasm-bench.mjs      → a table, and build/bench/wasm.json
// Targets: module ≤ 1 MiB gzip; compile+instantiate ≤ 10 ms; ≤ 20 µs per step.
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import { emscriptenAbi, openRuntime } from "../worker-shim/abi.js";
import { drive, EffectError } from "../worker-shim/effects.js";
import { openWasiRuntime } from "../tests/js/wasi-host.mjs";

const at = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const EMSCRIPTEN_WASM = at("build/emscripten/wasm/frontdesk.wasm");
const EMSCRIPTEN_GLUE = at("build/emscripten/wasm/frontdesk.mjs");
const WASI_WASM = at("build/wasi/wasm/frontdesk.wasm");
const OUTPUT = at("build/bench/wasm.json");

const INSTANTIATIONS = 20;
const WARMUP_REQUESTS = 500;
const REQUESTS = 3000;
const TARGETS = { gzip_bytes: 1024 * 1024, instantiate_ms: 10, step_us: 20 };
const INIT = { config: {}, env: {} };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// V8 reuses the compiled code of identical bytes within a process: a distinct custom
// section (ignored by the module) per round makes every compile a real one.
function distinctBytes(bytes, round) {
  const name = new TextEncoder().encode(`bench-${round}`);
  const payload = [name.length, ...name];
  const section = new Uint8Array([0, payload.length, ...payload]); // id 0 = custom; sizes < 128
  const out = new Uint8Array(bytes.length + section.length);
  out.set(bytes);
  out.set(section, bytes.length);
  return out;
}

async function emscriptenExports(createModule, compiled) {
  const module = await createModule({
    locateFile: (path) => path,
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled));
      return {};
    },
  });
  return emscriptenAbi(module);
}

// Each build as {instantiate(bytes) → ready, open() → a Runtime}.
async function loadBuilds() {
  const { default: createModule } = await import(pathToFileURL(EMSCRIPTEN_GLUE).href);
  return {
    emscripten: {
      bytes: await readFile(EMSCRIPTEN_WASM),
      instantiate: async (bytes) => emscriptenExports(createModule, await WebAssembly.compile(bytes)),
      open: async (bytes, init = INIT) =>
        openRuntime(await emscriptenExports(createModule, await WebAssembly.compile(bytes)), init),
    },
    wasi: {
      bytes: await readFile(WASI_WASM),
      instantiate: async (bytes) => (await openWasiRuntime(INIT, await WebAssembly.compile(bytes))).close(),
      open: async (bytes, init = INIT) => openWasiRuntime(init, await WebAssembly.compile(bytes)),
    },
  };
}

async function instantiateMs(build) {
  const times = [];
  for (let round = 0; round < INSTANTIATIONS; round++) {
    const bytes = distinctBytes(build.bytes, round);
    const start = performance.now();
    await build.instantiate(bytes);
    times.push(performance.now() - start);
  }
  return median(times);
}

// Answers every effect at once from memory: KV and storage in Maps, sql.exec a canned
// row holding the nonce it was last given to the health probe's read (every other read
// finds nothing: a new event), object calls run in the same runtime.
function instantBackend(step, storage = new Map()) {
  const kv = new Map();
  const setUp = new Set();
  let nonce = null;
  const backend = {
    faults: new Set(),
    "kv.get": ({ key }) => kv.get(key) ?? null,
    "kv.put": ({ key, value }) => void kv.set(key, value),
    "storage.get": ({ key }) => storage.get(key) ?? null,
    "storage.put": ({ key, value }) => void storage.set(key, value),
    "sql.exec": ({ sql, params }) => {
      if (params?.length) nonce = params[0];
      const select = /^\s*select nonce/i.test(sql);
      return { columns: select ? ["nonce"] : [], rows: select ? [[nonce]] : [] };
    },
    async "object.call"({ kind, object_id: id, message }) {
      // Set up once per object, as a host that keeps its objects does (docs/wire.md, fresh).
      const fresh = !setUp.has(`${kind}/${id}`);
      const output = await drive(step, { op: "object.call", kind, id, message, fresh }, backend);
      if (!output.error) setUp.add(`${kind}/${id}`);
      if (output.error) throw new EffectError(output.error.code, output.error.message);
      return output.reply;
    },
    now: () => INGRESS_NOW_MS,
    random: ({ bytes }) => btoa("\x2a".repeat(bytes)),
    log: () => null,
  };
  return backend;
}

async function loopCost(build) {
  const runtime = await build.open(build.bytes);
  let steps = 0;
  const step = (input) => {
    steps++;
    return runtime.step(input);
  };
  const backend = instantBackend(step);
  const input = { op: "request", request: { method: "GET", path: "/health", query: "deep=1", headers: [], body_b64: "" } };
  const once = async () => {
    const output = await drive(step, input, backend);
    if (output.response?.status !== 200) throw new Error(`deep health answered ${output.response?.status}`);
  };
  for (let i = 0; i < WARMUP_REQUESTS; i++) await once();
  steps = 0;
  const times = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    await once();
    times.push((performance.now() - start) * 1000);
  }
  runtime.close();
  const perRequest = median(times);
  const stepsPerRequest = steps / REQUESTS;
  return { request_us: perRequest, steps_per_request: stepsPerRequest, step_us: perRequest / stepsPerRequest };
}

// Verified ingress: a signed 2 KiB delivery through the whole request (verify, parse,
// normalize, record in an instant ledger), against the raw primitive on the same bytes
// through POST /diagnostics/verify. The clock is fixed so signatures stay fresh.
const INGRESS_NOW_MS = 1700000000000;
const INGRESS_REQUESTS = 1000;

function padTo(prefix, suffix, size) {
  return prefix + "x".repeat(size - prefix.length - suffix.length) + suffix;
}

function ingressFixture() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const rawPublic = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const telnyxBody = padTo(
    '{"data":{"event_type":"call.initiated","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","occurred_at":"2024-05-01T10:00:00Z",' +
      '"payload":{"call_control_id":"v3:abc","direction":"incoming","from":"+15555550123","to":"+18886115384",' +
      '"shaken_stir_attestation":"A","shaken_stir_validated":true,"client_state":"',
    '"},"record_type":"event"},"meta":{"attempt":1}}',
    2048,
  );
  const ts = String(INGRESS_NOW_MS / 1000);
  const telnyxSigned = `${ts}|${telnyxBody}`;
  const telnyxSignature = sign(null, Buffer.from(telnyxSigned), privateKey);
  const openphoneKey = Buffer.from("openphone-bench-secret");
  const openphoneBody = padTo(
    '{"id":"EVc67ec998b35c41d388af50799aeeba3e","type":"message.received","createdAt":"2024-05-01T10:00:00Z",' +
      '"data":{"object":{"id":"MSa1","from":"+15555550123","to":["+18886115384"],"direction":"incoming","text":"',
    '"}}}',
    2048,
  );
  const tsMs = String(INGRESS_NOW_MS);
  const openphoneSigned = `${tsMs}.${openphoneBody}`;
  const openphoneMac = createHmac("sha256", openphoneKey).update(openphoneSigned).digest();
  const hex = (b) => Buffer.from(b).toString("hex");
  const b64 = (b) => Buffer.from(b).toString("base64");
  const request = (path, headers, body) => ({
    op: "request",
    request: { method: "POST", path, query: "", headers, body_b64: b64(body) },
  });
  return {
    init: {
      config: {
        diagnostics: true,
        sources: {
          telnyx: { kind: "telnyx", public_keys: [b64(rawPublic)] },
          openphone: { kind: "openphone", secrets: [b64(openphoneKey)] },
        },
      },
      env: {},
    },
    telnyx: request("/webhooks/telnyx", [["content-type", "application/json"], ["telnyx-timestamp", ts],
      ["telnyx-signature-ed25519", b64(telnyxSignature)]], telnyxBody),
    telnyx_raw: request("/diagnostics/verify", [["content-type", "application/json"]], JSON.stringify({
      scheme: "ed25519", public_key: hex(rawPublic), message: hex(telnyxSigned), signature: hex(telnyxSignature) })),
    openphone: request("/webhooks/openphone", [["content-type", "application/json"],
      ["openphone-signature", `hmac;1;${tsMs};${b64(openphoneMac)}`]], openphoneBody),
    openphone_raw: request("/diagnostics/verify", [["content-type", "application/json"]], JSON.stringify({
      scheme: "hmac-sha256", key: hex(openphoneKey), message: hex(openphoneSigned), mac: hex(openphoneMac) })),
  };
}

async function ingressCost(build, fixture) {
  const runtime = await build.open(build.bytes, fixture.init);
  const step = (input) => runtime.step(input);
  const backend = instantBackend(step);
  const timeOf = async (input, expected) => {
    const once = async () => {
      const output = await drive(step, input, backend);
      if (output.response?.status !== 200) {
        throw new Error(`${input.request.path} answered ${output.response?.status}: ${atob(output.response?.body_b64 ?? "")}`);
      }
      const body = atob(output.response.body_b64);
      if (!body.includes(expected)) throw new Error(`${input.request.path}: ${body}`);
    };
    for (let i = 0; i < 100; i++) await once();
    const times = [];
    for (let i = 0; i < INGRESS_REQUESTS; i++) {
      const start = performance.now();
      await once();
      times.push((performance.now() - start) * 1000);
    }
    return median(times);
  };
  const out = {
    telnyx_delivery_us: await timeOf(fixture.telnyx, '"ok":true'),
    telnyx_raw_ed25519_us: await timeOf(fixture.telnyx_raw, '"valid":true'),
    openphone_delivery_us: await timeOf(fixture.openphone, '"ok":true'),
    openphone_raw_hmac_us: await timeOf(fixture.openphone_raw, '"valid":true'),
  };
  runtime.close();
  return out;
}

const builds = await loadBuilds();
const result = {
  node: process.version,
  v8: process.versions.v8,
  targets: TARGETS,
  worker_module: {
    wasm_bytes: builds.emscripten.bytes.length,
    wasm_gzip_bytes: gzipSync(builds.emscripten.bytes, { level: 9 }).length,
    glue_bytes: (await stat(EMSCRIPTEN_GLUE)).size,
    glue_gzip_bytes: gzipSync(await readFile(EMSCRIPTEN_GLUE), { level: 9 }).length,
  },
  wasi_module: {
    wasm_bytes: builds.wasi.bytes.length,
    wasm_gzip_bytes: gzipSync(builds.wasi.bytes, { level: 9 }).length,
  },
  instantiate_ms: {},
  health_deep_loop: {},
  ingress: {},
};
const fixture = ingressFixture();
for (const [name, build] of Object.entries(builds)) {
  result.instantiate_ms[name] = await instantiateMs(build);
  result.health_deep_loop[name] = await loopCost(build);
  result.ingress[name] = await ingressCost(build, fixture);
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const mark = (ok) => (ok ? "ok" : "OVER TARGET");
const rows = [
  ["Worker module (Emscripten) .wasm", kib(result.worker_module.wasm_bytes), ""],
  [
    "  gzip -9",
    kib(result.worker_module.wasm_gzip_bytes),
    mark(result.worker_module.wasm_gzip_bytes <= TARGETS.gzip_bytes) + " (≤ 1 MiB)",
  ],
  [
    "  glue .mjs (gzip -9)",
    `${kib(result.worker_module.glue_bytes)} (${kib(result.worker_module.glue_gzip_bytes)})`,
    "",
  ],
  ["WASI module .wasm (gzip -9)", `${kib(result.wasi_module.wasm_bytes)} (${kib(result.wasi_module.wasm_gzip_bytes)})`, ""],
];
for (const name of Object.keys(builds)) {
  const ms = result.instantiate_ms[name];
  const loop = result.health_deep_loop[name];
  rows.push([`${name}: compile+instantiate (median of ${INSTANTIATIONS})`, `${ms.toFixed(2)} ms`, mark(ms <= TARGETS.instantiate_ms) + " (≤ 10 ms)"]);
  rows.push([`${name}: GET /health?deep=1 (median of ${REQUESTS})`, `${loop.request_us.toFixed(1)} µs`, `${loop.steps_per_request} steps`]);
  rows.push([`${name}:   per step`, `${loop.step_us.toFixed(2)} µs`, mark(loop.step_us <= TARGETS.step_us) + " (≤ 20 µs)"]);
  const ingress = result.ingress[name];
  const ratio = (a, b) => `${(a / b).toFixed(2)}x the raw primitive`;
  rows.push([`${name}: Telnyx 2 KiB delivery (verify→record)`, `${ingress.telnyx_delivery_us.toFixed(1)} µs`,
    `${ratio(ingress.telnyx_delivery_us, ingress.telnyx_raw_ed25519_us)}; ${mark(ingress.telnyx_delivery_us <= 1000)} (≤ 1 ms)`]);
  rows.push([`${name}:   raw Ed25519 via /diagnostics/verify`, `${ingress.telnyx_raw_ed25519_us.toFixed(1)} µs`, ""]);
  rows.push([`${name}: OpenPhone 2 KiB delivery (verify→record)`, `${ingress.openphone_delivery_us.toFixed(1)} µs`,
    ratio(ingress.openphone_delivery_us, ingress.openphone_raw_hmac_us)]);
  rows.push([`${name}:   raw HMAC-SHA256 via /diagnostics/verify`, `${ingress.openphone_raw_hmac_us.toFixed(1)} µs`, ""]);
}
const width = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
console.log(`Frontdesk Wasm bench — Node ${process.version} (V8 ${process.versions.v8})`);
for (const [label, value, note] of rows) console.log(`${label.padEnd(width[0])}  ${value.padStart(width[1])}  ${note}`);

await mkdir(at("build/bench"), { recursive: true });
await writeFile(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${OUTPUT}`);
