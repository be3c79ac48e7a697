// What the V8 benchmarks share (bench/pipeline-wasm-bench.mjs, bench/api-wasm-bench.mjs):
// the two Wasm builds, a host that performs every effect in-process the way
// tests/js/wasi-host.mjs performs it (KV in a Map, each object its own sql.js database —
// real SQLite in Wasm — with one transaction per call, storage.* in its _storage table as
// worker-shim/object-storage.js keeps it, the step loop of worker-shim/effects.js), with a
// fixed clock and a step counter; the statistics; and the native figures of
// build/bench/native.json (bench/run.sh writes it first) to set beside them.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

import { emscriptenAbi, openRuntime } from "../worker-shim/abi.js";
import { hostEffects } from "../worker-shim/host-effects.js";
import { loadSqlJs, memoryKv, objectHost, openWasiRuntime } from "../tests/js/wasi-host.mjs";

export const at = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const EMSCRIPTEN_WASM = at("build/emscripten/wasm/frontdesk.wasm");
const EMSCRIPTEN_GLUE = at("build/emscripten/wasm/frontdesk.mjs");
const WASI_WASM = at("build/wasi/wasm/frontdesk.wasm");
export const NATIVE_JSON = at("build/bench/native.json");

// The same fixed clock as bench/bench_host.hpp.
export const NOW_S = 1700000000;
export const NOW_MS = NOW_S * 1000;

export const b64 = (bytes) => Buffer.from(bytes).toString("base64");

async function emscriptenOpen(bytes, init) {
  const { default: createModule } = await import(pathToFileURL(EMSCRIPTEN_GLUE).href);
  const compiled = await WebAssembly.compile(bytes);
  const module = await createModule({
    locateFile: (path) => path,
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled));
      return {};
    },
  });
  return openRuntime(emscriptenAbi(module), init);
}

// Each build: where its module is, and how to open a Runtime on its bytes.
export const BUILDS = {
  wasi: { path: WASI_WASM, open: async (bytes, init) => openWasiRuntime(init, await WebAssembly.compile(bytes)) },
  emscripten: { path: EMSCRIPTEN_WASM, open: emscriptenOpen },
};

// createWasiTarget of tests/js/wasi-host.mjs over any runtime, with a step counter, a
// fixed clock, no log output, and alarms that never fire (as natively, where the
// benchmarks' host has its alarms stopped).
export async function openHost(build, init) {
  const [runtime, SQL] = await Promise.all([build.open(await readFile(build.path), init), loadSqlJs()]);
  const now = () => NOW_MS;
  let steps = 0;
  let stepMs = 0; // time inside the runtime (the core in Wasm, the ABI copies and JSON)
  const step = (input) => {
    steps++;
    const start = performance.now();
    try {
      return runtime.step(input);
    } finally {
      stepMs += performance.now() - start;
    }
  };
  const shared = { faults: new Set(), ...hostEffects({ now, log: () => {} }), ...memoryKv(now) };
  const objects = objectHost({ step, SQL, shared, setAlarm: () => {} }); // alarms never fire
  return {
    // A request step input → the session's done output ({response} for a request).
    request: (input) => objects.request(input),
    ledger: (message, tenant = "acme") => objects.call("ledger", tenant, JSON.stringify(message)),
    get steps() {
      return steps;
    },
    get stepMs() {
      return stepMs;
    },
    resetSteps() {
      steps = 0;
      stepMs = 0;
    },
    close() {
      objects.close();
      runtime.close();
    },
  };
}

// A done output's response: status, headers as a Map (lowercase names), body as text.
export function responseOf(output) {
  const response = output.response;
  if (!response) return { status: 0, headers: new Map(), body: JSON.stringify(output) };
  return {
    status: response.status,
    headers: new Map(response.headers.map(([name, value]) => [name.toLowerCase(), value])),
    body: Buffer.from(response.body_b64, "base64").toString(),
  };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
export const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
// Nearest rank, as bench/bench_host.hpp's Latencies.
export const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(Math.max(Math.ceil(p * sorted.length), 1), sorted.length) - 1];
};

// The native benchmarks' figures whose names start with prefix (µs per iteration, mean,
// and their user counters), from build/bench/native.json; {} when it is not there.
export async function nativeFigures(prefix) {
  if (!existsSync(NATIVE_JSON)) return {};
  const report = JSON.parse(await readFile(NATIVE_JSON, "utf8"));
  const figures = {};
  for (const b of report.benchmarks ?? []) {
    if (!b.name.startsWith(prefix) || b.run_type === "aggregate" || b.error_occurred) continue;
    const scale = { ns: 1e-3, us: 1, ms: 1e3, s: 1e6 }[b.time_unit ?? "ns"];
    figures[b.name.replace(/\/real_time$/, "")] = {
      us: b.real_time * scale,
      steps: b.steps_per_delivery ?? b.steps_per_request,
      in_runtime_us: b.in_runtime_us,
      p50_us: b.p50_us,
      p99_us: b.p99_us,
    };
  }
  return figures;
}

// Prints rows of [label, value, note] as an aligned table.
export function printTable(title, rows) {
  const width = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  console.log(title);
  for (const [label, value, note] of rows) {
    console.log(`${label.padEnd(width[0])}  ${value.padStart(width[1])}  ${note}`);
  }
}
