// Where workerd spends a delivery's CPU: V8's sampling profiler, through workerd's inspector,
// over deliveries of one case sent to the deployable bundle (build/worker-dry-run, as
// bench/workerd-bench.mjs runs it). Prints the functions with the most self time, Wasm
// functions by their names in the module's name section.
//   node bench/workerd-profile.mjs [call|duplicate|platform|text] [deliveries]
// For Wasm function names, link the module again with --profiling-funcs, put it over the
// bundle's .wasm in a copy of the folder and name that folder in WORKERD_PROFILE_BUNDLE.
// The profile itself is written to build/bench/workerd-<case>.cpuprofile (open it in Chrome's
// DevTools, Performance panel).
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import WebSocket from "ws";

import { compatibilityDate } from "../tests/js/worker-target.mjs";
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
import { at } from "./wasm-host.mjs";

const CASE = process.argv[2] ?? "call";
const COUNT = Number(process.argv[3] ?? 500);
const BUNDLE_DIR = process.env.WORKERD_PROFILE_BUNDLE ?? at("build/worker-dry-run");
const INSPECTOR_PORT = 9229 + Math.floor(Math.random() * 500);

const KEY = telnyxKey();
const freshNumber = numberSource(500_000);
const bodies = {
  call: () => [newCallBody(freshNumber()), (body) => signTelnyx(KEY.privateKey, body)],
  platform: () => [platformEventBody(), (body) => signTelnyx(KEY.privateKey, body)],
  text: () => [urgentTextBody(freshNumber()), signOpenPhone],
};

const provider = await startProvider({ quietMs: 300 });
const config = benchConfig({ providerUrl: provider.url, telnyxPublicKeyB64: KEY.publicKeyB64 });
const wasm = readdirSync(BUNDLE_DIR).filter((file) => file.endsWith(".wasm"));
const mf = new Miniflare({
  compatibilityDate: compatibilityDate(),
  log: new Log(LogLevel.ERROR),
  inspectorPort: INSPECTOR_PORT,
  rootPath: BUNDLE_DIR,
  modules: true,
  scriptPath: join(BUNDLE_DIR, "worker.js"),
  modulesRules: [
    { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
    { type: "CompiledWasm", include: ["**/*.wasm"] },
  ],
  kvNamespaces: ["KV"],
  durableObjects: { OBJECTS: { className: "FrontdeskObject", useSQLite: true } },
  bindings: { ...benchEnv(), FRONTDESK_BOOTSTRAP_TOKEN: `bench-${randomUUID()}`, FRONTDESK_CONFIG: JSON.stringify(config) },
});
await mf.ready;
if (wasm.length !== 1) throw new Error(`expected one .wasm in ${BUNDLE_DIR}`);

async function send({ method, path, headers, body }) {
  const response = await mf.dispatchFetch(`http://frontdesk.test${path}`, { method, headers, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${response.status}: ${text}`);
  return text;
}

const kind = CASE === "duplicate" ? "call" : CASE;
const items = Array.from({ length: COUNT }, () => {
  const [body, sign] = bodies[kind]();
  return sign(body);
});
// Warm-up (and, for duplicates, the first deliveries), unprofiled.
for (const request of items.slice(0, 100)) await send(request);
if (CASE === "duplicate") for (const request of items.slice(100)) await send(request);
await new Promise((resolve) => setTimeout(resolve, 1000));

const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`)).json();
const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
let nextId = 1;
const pending = new Map();
socket.on("message", (data) => {
  const message = JSON.parse(String(data));
  if (message.id && pending.has(message.id)) pending.get(message.id)(message);
});
const command = (method, params = {}) =>
  new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    socket.send(JSON.stringify({ id, method, params }));
  });

await command("Profiler.enable");
await command("Profiler.setSamplingInterval", { interval: 50 });
await command("Profiler.start");
const timed = CASE === "duplicate" ? items.slice(100) : items.slice(100);
for (const request of timed) await send(request);
await new Promise((resolve) => setTimeout(resolve, 1500)); // the alarm's sends
const { result } = await command("Profiler.stop");
socket.close();
await mf.dispose();
await provider.close();

const profile = result.profile;
await mkdir(at("build/bench"), { recursive: true });
await writeFile(at(`build/bench/workerd-${CASE}.cpuprofile`), JSON.stringify(profile));

// Self time per function from the samples' time deltas.
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  const frame = byId.get(id).callFrame;
  const name = `${frame.functionName || "(anonymous)"} ${frame.url ? frame.url.split("/").pop() : ""}:${frame.lineNumber}`;
  self.set(name, (self.get(name) ?? 0) + delta);
  total += delta;
});
const idle = [...self].filter(([name]) => name.startsWith("(idle)")).reduce((sum, [, us]) => sum + us, 0);
const busy = total - idle;
console.log(`${CASE}: ${timed.length} deliveries, ${(busy / timed.length).toFixed(0)} µs sampled busy per delivery`);
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
  if (name.startsWith("(idle)")) continue;
  console.log(`${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / timed.length).toFixed(0).padStart(6)} µs  ${name}`);
}
