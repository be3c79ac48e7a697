// The Worker's CPU cost per delivery as a deployment pays it: the deployable bundle that
// `wrangler deploy --dry-run` writes (build/worker-dry-run) runs in workerd through Miniflare,
// with KV, the FrontdeskObject class on SQLite and FRONTDESK_CONFIG as tests/js/worker-target.mjs
// sets them up, and workerd's own CPU time (utime + stime of its process, /proc/<pid>/stat) is
// read before and after each case. Workers are billed by CPU time; wall-clock times here would
// mostly measure Node, the loopback and a shared machine, while the workerd process's CPU time
// is the nearest local measure of it (it also holds what Miniflare simulates: its entry worker,
// KV, and the Durable Objects' SQLite files, which the baseline below and WORKERD_BENCH_TMPFS
// help to tell apart).
//   node bench/workerd-bench.mjs   → a table, and build/bench/workerd.json
//
// A baseline runs in the same run, in a second Miniflare (its own workerd): an empty
// ES-module Worker whose fetch makes one stub.fetch into a do-nothing SQLite-backed Durable
// Object, measured the same way. Everything Miniflare adds (its entry worker, the loopback
// from Node, a Durable Object round trip) is in both, so "− baseline" is what Frontdesk adds.
// Every process runs from the start: each case's deliveries go to the baseline, Frontdesk and
// the reference (below) in turn, a block at a time, each block's CPU read from its own
// process. This machine's speed drifts by tens of percent within minutes, so figures from
// runs minutes apart do not compare; blocks interleaved share the drift.
//
// Cases (a configuration like tests/scenarios/targets.mjs's receptionConfig, known-only):
//   call.initiated  a new Telnyx call from a fresh unknown caller: rejected with a message,
//                   answer + speak queued and sent by the ledger's alarm to the local provider
//   duplicate       each of those deliveries again (a provider retry)
//   platform        a signed Telnyx event that is neither a call nor a text (ingress only)
//   urgent text     an OpenPhone message.received from a fresh sender: one auto-reply queued
//   GET calls       GET /api/v1/calls?limit=50 with a calls:read token
//   call → N endpoints  the new call again, with 1 and then 10 fan-out endpoints (docs/fanout.md):
//                   call.received and call.screened signed and sent to each, by the alarm
// The yardstick: bench/reference-worker/worker.mjs does the first three cases' job the way a
// Workers developer would by hand (Hono, WebCrypto's Ed25519, one SQLite Durable Object per
// tenant over RPC, an alarm that sends the queued commands), in a third workerd, with the same
// deliveries in the same blocks; each of those cases also reports "× the reference's": its
// CPU above the baseline over the reference's. WORKERD_BENCH_CANDIDATE=<dir> adds a second
// Frontdesk bundle (another dry run's output) in the same blocks, for an A/B of a change.
// Deliveries are sent one at a time (no concurrency), so a case's CPU is its deliveries'
// alone. A case's window ends once the provider stand-in has received every command the case
// queued and has then been quiet for a moment: the alarm's sends are part of what a delivery
// costs. The CPU read at the last answer is reported too (alarms run alongside, so it is only
// a lower bound of the request path's share).
//
// workerd cannot be instrumented from outside, so steps, object calls and SQL statements per
// delivery come from the same core (the Emscripten module of the bundle) driven in-process by
// tests/js/wasi-host.mjs's objectHost with the same signed deliveries, counted at the step
// function: every effect the core asks for is in a step's output. "Statements with the
// shim's" also counts what worker-shim/object-storage.js runs around each sql.exec (its
// changes() bookkeeping), as ctx.storage.sql.exec runs them in a Durable Object.
//
// Env: WORKERD_BENCH_DELIVERIES (timed deliveries per case, default 1000),
// WORKERD_BENCH_WARMUP (per case, default 100), WORKERD_BENCH_BLOCK (deliveries per block,
// default 50), WORKERD_BENCH_CANDIDATE (above), WORKERD_BENCH_CASES (a comma-separated subset
// of the case names below), WORKERD_BENCH_TMPFS=1 (both Workers' Durable
// Objects kept in a fresh directory on /dev/shm: by default they are SQLite files in
// Miniflare's temporary directory on disk, created and fsynced by workerd itself, which is
// work the platform's storage does outside a Worker's CPU time; in-memory Durable Objects
// have no SQL API, so tmpfs is the nearest to leaving it out).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";

import { loadSqlJs, memoryKv, objectHost } from "../tests/js/wasi-host.mjs";
import { compatibilityDate } from "../tests/js/worker-target.mjs";
import { hostEffects } from "../worker-shim/host-effects.js";
import {
  benchConfig,
  benchEnv,
  newCallBody,
  numberSource,
  platformEventBody,
  signOpenPhone,
  signTelnyx,
  startProvider,
  telnyxKey,
  urgentTextBody,
} from "./bench-deliveries.mjs";
import { at, b64, BUILDS, printTable } from "./wasm-host.mjs";

const DELIVERIES = Number(process.env.WORKERD_BENCH_DELIVERIES ?? 1000);
const WARMUP = Number(process.env.WORKERD_BENCH_WARMUP ?? 100);
const BUNDLE_DIR = at("build/worker-dry-run");
const TMPFS = process.env.WORKERD_BENCH_TMPFS === "1";
// Deliveries per block: each case's deliveries go to every process in turn, a block at a time.
const BLOCK = Number(process.env.WORKERD_BENCH_BLOCK ?? 50);
const CANDIDATE_DIR = process.env.WORKERD_BENCH_CANDIDATE ? resolve(process.env.WORKERD_BENCH_CANDIDATE) : null;
// A comma-separated subset of the cases, e.g. "platform" ("duplicate" needs "call.initiated").
const ONLY = process.env.WORKERD_BENCH_CASES ? new Set(process.env.WORKERD_BENCH_CASES.split(",")) : null;
if (ONLY?.has("duplicate") && !ONLY.has("call.initiated")) throw new Error("the duplicate case resends call.initiated's deliveries");
const OUTPUT = at(`build/bench/workerd${TMPFS ? "-tmpfs" : ""}.json`);

// Signatures are made in batches just before sending (outside workerd, so outside what is
// measured) and a signed delivery older than this is signed again before it is reused: the
// sources accept timestamps 300 s old.
const SIGN_BATCH = 100;
const RESIGN_AFTER_MS = 200_000;

// --- the deployable bundle ---

// wrangler's dry run bundles worker-shim/ and the core's glue into one module beside the
// .wasm; bench/run.sh makes it first, this only fills in when it is missing.
function bundle(dir = BUNDLE_DIR) {
  if (dir === BUNDLE_DIR && !existsSync(join(BUNDLE_DIR, "worker.js"))) {
    execFileSync("npx", ["--no-install", "wrangler", "deploy", "--dry-run", "--outdir", "build/worker-dry-run"], {
      cwd: at("."),
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const files = readdirSync(dir);
  const wasm = files.filter((file) => file.endsWith(".wasm"));
  if (!files.includes("worker.js") || wasm.length !== 1) {
    throw new Error(`${dir} holds no worker.js and one .wasm: ${files.join(", ")}`);
  }
  return { script: join(dir, "worker.js"), wasm: join(dir, wasm[0]) };
}

// --- workerd's CPU time ---

const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

// Fields of /proc/<pid>/stat after "(comm)", which may itself hold spaces: [0] is field 3.
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

// utime + stime of every thread of the process, in ms (clock-tick resolution), and the
// kernel's share (stime) on its own: file and socket work shows there.
function cpu(pid) {
  const fields = statFields(pid);
  return { total: (Number(fields[11]) + Number(fields[12])) * TICK_MS, system: Number(fields[12]) * TICK_MS };
}
const cpuMs = (pid) => cpu(pid).total;

function workerdChildren() {
  const found = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(entry)[1]) !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("workerd")) found.push(Number(entry));
    } catch {
      // the process ended while being looked at
    }
  }
  return found;
}

// A Miniflare instance and the workerd process it spawned (the one child that is new).
async function startMiniflare(options) {
  const before = new Set(workerdChildren());
  const output = [];
  const persist = TMPFS ? mkdtempSync("/dev/shm/frontdesk-workerd-bench-") : null;
  const mf = new Miniflare({
    compatibilityDate: compatibilityDate(),
    log: new Log(LogLevel.ERROR),
    ...(persist ? { durableObjectsPersist: persist } : {}),
    // workerd's own output is kept to show if something fails, not printed.
    handleRuntimeStdio: (stdout, stderr) => {
      for (const stream of [stdout, stderr]) stream.on("data", (chunk) => output.push(String(chunk)));
    },
    ...options,
  });
  await mf.ready;
  const spawned = workerdChildren().filter((pid) => !before.has(pid));
  if (spawned.length !== 1) throw new Error(`expected one new workerd child, found ${spawned.length}`);
  async function close() {
    await mf.dispose();
    if (persist) rmSync(persist, { recursive: true, force: true });
  }
  return { mf, pid: spawned[0], output, close };
}

// --- deliveries ---

const KEY = telnyxKey();
const BOOTSTRAP_TOKEN = `bench-bootstrap-${randomUUID()}`;
const freshNumber = numberSource();
const telnyx = (body) => signTelnyx(KEY.privateKey, body);

// A delivery: its body and signer; signed (request, signedAt) in batches before sending.
const delivery = (body, signer) => ({ body, signer, request: null, signedAt: 0 });

function signed(item) {
  if (!item.signer) return item.request; // an API request: nothing to sign
  if (!item.request || Date.now() - item.signedAt > RESIGN_AFTER_MS) {
    item.request = item.signer(item.body);
    item.signedAt = Date.now();
  }
  return item.request;
}

const newCall = () => delivery(newCallBody(freshNumber()), telnyx);
const platformEvent = () => delivery(platformEventBody(), telnyx);
const urgentText = () => delivery(urgentTextBody(freshNumber()), signOpenPhone);

// Answer checks: a broken build must fail, not look fast.
const parsed = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};
const webhookAnswer = (duplicate) => (status, text) => {
  const json = parsed(text);
  if (status !== 200 || json?.ok !== true || json.duplicate !== duplicate) {
    throw new Error(`webhook answered ${status} (expected 200, duplicate ${duplicate}): ${text}`);
  }
};
function callsPage(status, text) {
  if (status !== 200 || parsed(text)?.data?.length !== 50) throw new Error(`GET calls answered ${status}: ${text}`);
}

// --- the two ways of sending: workerd (Miniflare) and the in-process counting host ---

async function dispatch(mf, { method = "GET", path, query = "", headers = {}, body }) {
  const url = `http://frontdesk.test${path}${query ? `?${query}` : ""}`;
  const response = await mf.dispatchFetch(url, { method, headers, body: body?.length ? body : undefined });
  return { status: response.status, text: await response.text() };
}

// The Emscripten module the bundle carries, driven in-process; steps and effects counted.
async function openCountingHost(init, wasmPath) {
  const build = BUILDS.emscripten;
  if (!readFileSync(build.path).equals(readFileSync(wasmPath))) {
    throw new Error(`${build.path} is not the bundle's ${wasmPath}: run scripts/build-worker.sh and the dry run`);
  }
  const [runtime, sqlJs] = await Promise.all([build.open(readFileSync(build.path), init), loadSqlJs()]);
  const counts = { steps: 0, effects: {}, statements: 0, stepMs: 0 };
  // Every statement worker-shim/object-storage.js prepares, as the Durable Object runs it
  // through ctx.storage.sql.exec: the core's SQL and the bookkeeping around it (changes()).
  // BEGIN and COMMIT, which only this host adds, go through run() and are not counted.
  const SQL = {
    Database: class extends sqlJs.Database {
      prepare(...args) {
        counts.statements++;
        return super.prepare(...args);
      }
    },
  };
  const step = (input) => {
    counts.steps++;
    const started = performance.now();
    const output = runtime.step(input);
    counts.stepMs += performance.now() - started; // the core, and JSON across the ABI
    for (const effect of output.effects ?? []) counts.effects[effect.op] = (counts.effects[effect.op] ?? 0) + 1;
    return output;
  };
  const shared = { faults: new Set(), ...hostEffects({ log: () => {} }), ...memoryKv(() => Date.now()) };
  const alarms = new Map(); // object → when its alarm is due: run by runAlarms, not by timers
  const objects = objectHost({ step, SQL, shared, setAlarm: (target, atMs) => alarms.set(target, atMs) });
  const snapshot = () => ({ ...counts, effects: { ...counts.effects } });
  return {
    async send({ method = "GET", path, query = "", headers = {}, body }) {
      const request = {
        method,
        path,
        query,
        headers: Object.entries(headers),
        body_b64: b64(body ?? new Uint8Array(0)),
      };
      const output = await objects.request({ op: "request", request });
      if (!output.response) throw new Error(`no response: ${JSON.stringify(output)}`);
      return { status: output.response.status, text: Buffer.from(output.response.body_b64, "base64").toString() };
    },
    // Runs the alarms the deliveries set, each when due, until none is left (the outbound
    // queue is sent: it sets its alarm again while commands wait).
    async runAlarms() {
      const deadline = Date.now() + 120_000;
      while (alarms.size > 0) {
        if (Date.now() > deadline) throw new Error("alarms keep coming back");
        const [target, atMs] = [...alarms].reduce((first, next) => (next[1] < first[1] ? next : first));
        if (atMs > Date.now()) await new Promise((resolve) => setTimeout(resolve, atMs - Date.now()));
        alarms.delete(target);
        const output = await objects.alarm(target);
        if (output.error) throw new Error(`alarm: ${JSON.stringify(output.error)}`);
      }
    },
    snapshot,
    close() {
      objects.close();
      runtime.close();
    },
  };
}

// Per-delivery counts between two snapshots.
function countsPer(before, after, n) {
  const per = (count) => Math.round((count / n) * 1000) / 1000;
  const effect = (op) => per((after.effects[op] ?? 0) - (before.effects[op] ?? 0));
  const ops = new Set([...Object.keys(before.effects), ...Object.keys(after.effects)]);
  const effects = {};
  for (const op of [...ops].sort()) if (effect(op) > 0) effects[op] = effect(op);
  return {
    steps: per(after.steps - before.steps),
    object_calls: effect("object.call"),
    sql: effect("sql.exec"),
    statements_in_objects: per(after.statements - before.statements),
    in_fd_step_us: Math.round(((after.stepMs - before.stepMs) * 1000) / n),
    effects,
  };
}

// Sends items one at a time, signing each batch just before it goes.
async function sendAll(send, items, check) {
  for (let i = 0; i < items.length; i += SIGN_BATCH) {
    const batch = items.slice(i, i + SIGN_BATCH);
    const requests = batch.map(signed);
    for (const request of requests) {
      const { status, text } = await send(request);
      check(status, text);
    }
  }
}

// --- the run ---

const { script, wasm } = bundle();
// The provider must stay quiet this long before a block's window closes.
const provider = await startProvider({ quietMs: 300 });
const result = {
  node: process.version,
  deliveries: DELIVERIES,
  warmup: WARMUP,
  block: BLOCK,
  concurrency: 1,
  // CPU time is what is measured, but a busy machine still shows in it (caches, contention).
  loadavg: { start: loadavg() },
  durable_objects: TMPFS ? "SQLite files on tmpfs (/dev/shm)" : "SQLite files on disk (Miniflare's default)",
  clock_tick_ms: TICK_MS,
  resolution_us: (TICK_MS * 1000) / DELIVERIES,
  bundle: { script, wasm, wasm_bytes: readFileSync(wasm).length },
  candidate: null,
  baseline: null,
  idle_cpu_ms_per_s: null,
  cases: {},
};

// One case on several workerd processes at once: each gets its warm-up (its commands sent),
// then the timed deliveries go a block at a time to each process in turn (the order reversed
// every other block), and each block's CPU is read from its own process once the provider
// has received what the block queued. The machine's speed drifts by tens of percent within
// minutes; interleaved blocks share the drift, so the ratios between processes hold.
// targets: [{name, pid, send, items: {warmup, timed}, check, outboundEach}] → {name: figures}.
async function measureTogether(targets) {
  for (const target of targets) {
    const base = provider.received;
    await sendAll(target.send, target.items.warmup, target.check);
    await provider.drained(base + target.items.warmup.length * target.outboundEach);
  }
  const totals = new Map(targets.map((target) => [target, { cpu: 0, system: 0, atLastAnswer: 0, wallMs: 0, sent: 0 }]));
  const count = Math.max(...targets.map((target) => target.items.timed.length));
  for (let block = 0; block * BLOCK < count; block++) {
    const order = block % 2 ? [...targets].reverse() : targets;
    for (const target of order) {
      const items = target.items.timed.slice(block * BLOCK, (block + 1) * BLOCK);
      const total = totals.get(target);
      const expected = provider.received + items.length * target.outboundEach;
      const before = cpu(target.pid);
      const started = performance.now();
      await sendAll(target.send, items, target.check);
      total.wallMs += performance.now() - started;
      total.atLastAnswer += cpuMs(target.pid) - before.total;
      const firstReceived = provider.received;
      await provider.drained(expected);
      total.sent += provider.received - firstReceived;
      const after = cpu(target.pid);
      total.cpu += after.total - before.total;
      total.system += after.system - before.system;
    }
  }
  const figures = {};
  for (const target of targets) {
    const total = totals.get(target);
    const n = target.items.timed.length;
    const perDelivery = (ms) => (ms * 1000) / n;
    figures[target.name] = {
      deliveries: n,
      cpu_us: perDelivery(total.cpu),
      system_cpu_us: perDelivery(total.system),
      cpu_at_last_answer_us: perDelivery(total.atLastAnswer),
      wall_us: perDelivery(total.wallMs),
      outbound_expected: n * target.outboundEach,
    };
  }
  return figures;
}

// The baseline: an empty Worker, one stub.fetch into an empty SQLite-backed Durable Object.
const BASELINE_WORKER = `
import { DurableObject } from "cloudflare:workers";
export class Nothing extends DurableObject {
  async fetch() { return new Response(null); }
}
export default {
  async fetch(request, env) {
    const stub = env.OBJECTS.get(env.OBJECTS.idFromName("ledger/acme"));
    const answer = await stub.fetch("https://frontdesk.object/call", { method: "POST", body: "{}" });
    await answer.arrayBuffer();
    return new Response(null);
  },
};`;
const baselineWorker = await startMiniflare({
  modules: true,
  script: BASELINE_WORKER,
  durableObjects: { OBJECTS: { className: "Nothing", useSQLite: true } },
});
const baselineRequest = { request: { method: "POST", path: "/", body: new TextEncoder().encode("{}") } };
const baselineItems = (n) => Array.from({ length: n }, () => baselineRequest);
const baseline = {
  name: "baseline",
  pid: baselineWorker.pid,
  send: (request) => dispatch(baselineWorker.mf, request),
  items: { warmup: baselineItems(WARMUP), timed: baselineItems(DELIVERIES) },
  check: (status) => {
    if (status !== 200) throw new Error(`baseline answered ${status}`);
  },
  outboundEach: 0,
};

// Fan-out endpoints (the last two cases) are the provider stand-in too, on 127.0.0.1.
const config = {
  ...benchConfig({ providerUrl: provider.url, telnyxPublicKeyB64: KEY.publicKeyB64 }),
  fanout: { allow_http: true, allow_private: true },
};
const env = { ...benchEnv(), FRONTDESK_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN };
const frontdeskWorker = (bundleDir, files) =>
  startMiniflare({
    rootPath: bundleDir,
    modules: true,
    scriptPath: files.script,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    kvNamespaces: ["KV"],
    durableObjects: { OBJECTS: { className: "FrontdeskObject", useSQLite: true } },
    bindings: { ...env, FRONTDESK_CONFIG: JSON.stringify(config) },
  });
const worker = await frontdeskWorker(BUNDLE_DIR, { script });
// WORKERD_BENCH_CANDIDATE=<dir>: another bundle of Frontdesk (a dry run's output directory),
// measured in the same blocks as "candidate": an A/B of a change on a drifting machine.
const candidateWorker = CANDIDATE_DIR ? await frontdeskWorker(CANDIDATE_DIR, bundle(CANDIDATE_DIR)) : null;
if (CANDIDATE_DIR) result.candidate = { bundle: CANDIDATE_DIR };
const counting = await openCountingHost({ config, env }, wasm);

// --- the yardstick: the same job written by hand (bench/reference-worker/worker.mjs) ---
// Hono, WebCrypto's Ed25519 and one SQLite-backed Durable Object per tenant called over RPC,
// bundled by esbuild as wrangler would, measured in the same blocks as Frontdesk with the
// same deliveries (each process keeps its own storage). "× reference" is Frontdesk's CPU
// above the baseline over the reference's.
const REFERENCE_CASES = ["call.initiated", "duplicate", "platform"];
async function referenceBundle() {
  const { build } = await import("esbuild");
  const outfile = at("build/bench/reference-worker/worker.js");
  await build({
    entryPoints: [at("bench/reference-worker/worker.mjs")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    external: ["cloudflare:workers"],
    outfile,
    logLevel: "error",
  });
  return outfile;
}
const referenceWorker = REFERENCE_CASES.some((name) => !ONLY || ONLY.has(name))
  ? await startMiniflare({
      modules: true,
      scriptPath: await referenceBundle(),
      durableObjects: { LEDGER: { className: "Ledger", useSQLite: true } },
      bindings: {
        TELNYX_PUBLIC_KEY: KEY.publicKeyB64,
        TELNYX_API_KEY: benchEnv().TELNYX_API_KEY,
        PROVIDER_URL: provider.url,
        NUMBERS: config.tenants.acme.numbers.join(","),
        REJECT_MESSAGE: config.tenants.acme.policy.reject_message,
      },
    })
  : null;
if (referenceWorker) {
  result.reference = {
    what: "bench/reference-worker/worker.mjs: Hono, WebCrypto Ed25519, one SQLite Durable Object per tenant over RPC",
    cases: {},
  };
}

const hosts = [
  { name: "frontdesk", worker, send: (request) => dispatch(worker.mf, request) },
  ...(candidateWorker
    ? [{ name: "candidate", worker: candidateWorker, send: (request) => dispatch(candidateWorker.mf, request) }]
    : []),
];
try {
  // What workerd burns doing nothing, for scale (Frontdesk loaded, nothing sent).
  await hosts[0].send({ path: "/health" });
  {
    const before = cpuMs(worker.pid);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    result.idle_cpu_ms_per_s = (cpuMs(worker.pid) - before) / 2;
  }

  // A calls:read token for the GET calls case (the bootstrap secret may only mint), on
  // every host, the in-process one too.
  const mint = {
    method: "POST",
    path: "/api/v1/tokens",
    headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}`, "content-type": "application/json" },
    body: new TextEncoder().encode(
      JSON.stringify({ tenant: "acme", name: "bench", scopes: ["calls:read", "endpoints:write"], rate_limit: 1_000_000 }),
    ),
  };
  const countingHost = { name: "in-process", send: counting.send };
  for (const host of [...hosts, countingHost]) {
    const { status, text } = await host.send(mint);
    if (status !== 201) throw new Error(`POST /api/v1/tokens answered ${status}: ${text}`);
    host.token = JSON.parse(text).token;
  }

  const calls = { warmup: Array.from({ length: WARMUP }, newCall), timed: Array.from({ length: DELIVERIES }, newCall) };
  const CASES = [
    ["call.initiated", "new Telnyx call, fresh unknown caller → answer + speak", calls, webhookAnswer(false), 2],
    ["duplicate", "the same delivery again", calls, webhookAnswer(true), 0],
    [
      "platform",
      "Telnyx number_order.complete (ingress only)",
      { warmup: Array.from({ length: WARMUP }, platformEvent), timed: Array.from({ length: DELIVERIES }, platformEvent) },
      webhookAnswer(false),
      0,
    ],
    [
      "urgent text",
      "OpenPhone message.received, fresh sender → auto-reply",
      { warmup: Array.from({ length: WARMUP }, urgentText), timed: Array.from({ length: DELIVERIES }, urgentText) },
      webhookAnswer(false),
      1,
    ],
    ["GET calls", "GET /api/v1/calls?limit=50, Bearer token", null, callsPage, 0],
    // The same new call with the tenant's endpoints: call.received and call.screened to each.
    ...[1, 10].map((count) => [
      `call → ${count} endpoint${count > 1 ? "s" : ""}`,
      `new Telnyx call as above, fanned out to ${count} endpoint(s) (2 signed deliveries each)`,
      { warmup: Array.from({ length: WARMUP }, newCall), timed: Array.from({ length: DELIVERIES }, newCall) },
      webhookAnswer(false),
      2 + 2 * count,
      () => endpointsUpTo(count),
    ]),
  ];
  // Every host gets endpoints until it has `count` (each the provider stand-in).
  let endpoints = 0;
  async function endpointsUpTo(count) {
    for (; endpoints < count; endpoints++) {
      for (const host of [...hosts, countingHost]) {
        const body = new TextEncoder().encode(JSON.stringify({ url: `${provider.url}/fanout/${endpoints}` }));
        const headers = { authorization: `Bearer ${host.token}`, "content-type": "application/json" };
        const { status, text } = await host.send({ method: "POST", path: "/api/v1/endpoints", headers, body });
        if (status !== 201) throw new Error(`POST /api/v1/endpoints answered ${status}: ${text}`);
      }
    }
  }
  // The API requests carry each host's own token.
  function apiItems(host) {
    const request = { method: "GET", path: "/api/v1/calls", query: "limit=50", headers: { authorization: `Bearer ${host.token}` } };
    const each = (n) => Array.from({ length: n }, () => ({ request }));
    return { warmup: each(WARMUP), timed: each(DELIVERIES) };
  }

  let baselineSum = 0;
  for (const [name, what, items, check, outboundEach, setup] of CASES) {
    if (ONLY && !ONLY.has(name)) continue;
    await setup?.();
    const targets = [
      baseline,
      ...hosts.map((host) => ({
        name: host.name,
        pid: host.worker.pid,
        send: host.send,
        items: items ?? apiItems(host),
        check,
        outboundEach,
      })),
    ];
    if (referenceWorker && REFERENCE_CASES.includes(name)) {
      targets.push({
        name: "reference",
        pid: referenceWorker.pid,
        send: (request) => dispatch(referenceWorker.mf, request),
        items,
        check,
        outboundEach,
      });
    }
    const measured = await measureTogether(targets);
    const baselineUs = measured.baseline.cpu_us;
    baselineSum += baselineUs;
    const above = (figures) => ({ ...figures, baseline_us: baselineUs, cpu_minus_baseline_us: figures.cpu_us - baselineUs });
    const reference = measured.reference ? above(measured.reference) : null;
    if (reference) result.reference.cases[name] = reference;
    const againstReference = (figures) =>
      reference ? { times_reference: figures.cpu_minus_baseline_us / reference.cpu_minus_baseline_us } : {};

    // The same deliveries, in the same order, through the same core in-process.
    const forCounting = items ?? apiItems(countingHost);
    await sendAll(counting.send, forCounting.warmup, check);
    await counting.runAlarms();
    const before = counting.snapshot();
    const started = performance.now();
    await sendAll(counting.send, forCounting.timed, check);
    // For scale only: the same work in Node's V8 on sql.js, signing included.
    const inProcessUs = ((performance.now() - started) * 1000) / DELIVERIES;
    const answered = counting.snapshot();
    await counting.runAlarms();
    const sent = counting.snapshot();
    const frontdesk = above(measured.frontdesk);
    result.cases[name] = {
      what,
      ...frontdesk,
      ...againstReference(frontdesk),
      in_process_wall_us: inProcessUs,
      counts: countsPer(before, answered, DELIVERIES),
      outbound_counts: countsPer(answered, sent, DELIVERIES),
    };
    if (measured.candidate) {
      const candidate = above(measured.candidate);
      result.cases[name].candidate = {
        ...candidate,
        ...againstReference(candidate),
        times_frontdesk: candidate.cpu_minus_baseline_us / frontdesk.cpu_minus_baseline_us,
      };
    }
    console.error(`${name}: done`);
  }
  const measuredCases = Object.keys(result.cases).length;
  result.baseline = {
    cpu_us: baselineSum / measuredCases,
    what: "empty ES-module Worker, one stub.fetch to a do-nothing SQLite-backed Durable Object",
  };
} catch (error) {
  for (const started of [worker, candidateWorker, referenceWorker, baselineWorker]) {
    if (started) console.error(started.output.join(""));
  }
  throw error;
} finally {
  counting.close();
  for (const started of [worker, candidateWorker, referenceWorker, baselineWorker]) await started?.close();
}
await provider.close();

result.loadavg.end = loadavg();
const fmt = (value) => value.toFixed(0);
const timesReference = (c) => (c.times_reference ? ` (${c.times_reference.toFixed(2)}× the reference's)` : "");
const rows = [["baseline", `${fmt(result.baseline.cpu_us)} µs`, `mean over the cases; ${result.baseline.what}`]];
for (const [name, c] of Object.entries(result.cases)) {
  const o = c.outbound_counts;
  rows.push([
    name,
    `${fmt(c.cpu_us)} µs`,
    [
      `−baseline ${fmt(c.cpu_minus_baseline_us)} µs${timesReference(c)}`,
      `baseline in its blocks ${fmt(c.baseline_us)} µs`,
      `kernel ${fmt(c.system_cpu_us)} µs`,
      `at last answer ${fmt(c.cpu_at_last_answer_us)} µs`,
      `${c.counts.steps} steps, ${c.counts.object_calls} object calls, ${c.counts.sql} SQL ` +
        `(${c.counts.statements_in_objects} statements with the shim's)`,
      c.outbound_expected ? `+ sending: ${o.steps} steps, ${o.sql} SQL, ${o.effects.fetch ?? 0} fetch` : "",
      `wall ${fmt(c.wall_us)} µs (in-process ${fmt(c.in_process_wall_us)} µs, ${c.counts.in_fd_step_us} in fd_step)`,
    ]
      .filter(Boolean)
      .join("; "),
  ]);
  if (c.candidate) {
    rows.push([
      `  candidate`,
      `${fmt(c.candidate.cpu_us)} µs`,
      `−baseline ${fmt(c.candidate.cpu_minus_baseline_us)} µs${timesReference(c.candidate)}; ` +
        `${c.candidate.times_frontdesk.toFixed(2)}× this bundle's; kernel ${fmt(c.candidate.system_cpu_us)} µs`,
    ]);
  }
}
for (const [name, c] of Object.entries(result.reference?.cases ?? {})) {
  rows.push([
    `reference ${name}`,
    `${fmt(c.cpu_us)} µs`,
    `−baseline ${fmt(c.cpu_minus_baseline_us)} µs; kernel ${fmt(c.system_cpu_us)} µs; ` +
      `at last answer ${fmt(c.cpu_at_last_answer_us)} µs; wall ${fmt(c.wall_us)} µs`,
  ]);
}
printTable(
  `Frontdesk Worker in workerd (Miniflare), CPU per delivery (utime+stime of workerd, ` +
    `${DELIVERIES} sequential deliveries per case after ${WARMUP} warm-up, in blocks of ${BLOCK} interleaved with ` +
    `the baseline's${result.reference ? " and the reference's" : ""}${CANDIDATE_DIR ? " and the candidate's" : ""}; ` +
    `±${result.resolution_us.toFixed(0)} µs per clock tick of ${TICK_MS} ms); Durable Objects: ${result.durable_objects}; ` +
    `idle workerd ${result.idle_cpu_ms_per_s.toFixed(1)} ms/s; load average ${result.loadavg.start[0].toFixed(1)} → ` +
    `${result.loadavg.end[0].toFixed(1)}`,
  rows,
);
console.log(
  "CPU includes the ledger alarm's sends of the commands a case queued. Steps, object calls and SQL " +
    "statements: the same core (the bundle's Emscripten module) driven in-process with the same deliveries.",
);
await mkdir(at("build/bench"), { recursive: true });
await writeFile(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
