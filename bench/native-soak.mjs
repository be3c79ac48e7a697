// A soak of the real native server (`frontdesk serve`, preset native-release, database on
// the normal disk): signed ingress-only deliveries (GitHub pings, HMAC-signed, each a new
// event) at a steady SOAK_RATE per second (default 4000, about half of what
// bench/native-live.sh measures here) for SOAK_SECONDS (default 1800), on 32 kept-alive
// connections. Every 10 s it samples the server's resident memory (VmRSS), its open file
// descriptors, its CPU, and the interval's answers and latency. Memory and files must stay
// flat once warm: the last sample against the one after the first two minutes (growth
// under 10 % of RSS, at most 8 descriptors), every answer a 200.
//   node bench/native-soak.mjs   → a table, and build/bench/native-soak.json
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { connect } from "node:net";
import { join } from "node:path";

import { benchConfig, benchEnv, startProvider, telnyxKey } from "./bench-deliveries.mjs";

const rate = Number(process.env.SOAK_RATE ?? 4000);
const seconds = Number(process.env.SOAK_SECONDS ?? 1800);
const SAMPLE_MS = 10_000;
const WARM_S = Math.min(120, seconds / 4);
const out = "build/bench/native-soak";
const binary = process.env.FRONTDESK_BENCH_BINARY || "build/native-release/native-harness/frontdesk";

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const provider = await startProvider({ timeoutMs: (seconds + 60) * 1000 });
const key = telnyxKey();
const config = benchConfig({ providerUrl: provider.url, telnyxPublicKeyB64: key.publicKeyB64 });
config.sources.github = { kind: "github", secrets: ["soak-github-secret-0001"] };
writeFileSync(join(out, "config.json"), JSON.stringify(config));
const server = spawn(binary, ["serve", "--config", join(out, "config.json"), "--db", join(out, "frontdesk.db"), "--listen", "127.0.0.1:0"], {
  env: { ...process.env, ...benchEnv() },
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise((resolve, reject) => {
  let seen = "";
  const listening = (chunk) => {
    seen += chunk;
    const match = /Frontdesk listening on (http:\/\/\S+)/.exec(seen);
    if (!match) return;
    server.stdout.off("data", listening);
    server.stdout.on("data", () => {}); // the request log is drained, not kept
    resolve(match[1]);
  };
  server.stdout.on("data", listening);
  server.on("exit", () => reject(new Error("the server exited")));
});

// GitHub deliveries: HMAC-signed (cheap, no timestamp to go stale), each a new event.
const GITHUB_SECRET = "soak-github-secret-0001";
const { hostname, port } = new URL(url);
let interval = { ok: 0, failed: 0, skipped: 0, latencies: [] };
let sequence = 0;

function rawDelivery() {
  const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: ++sequence, soak: true });
  const signature = createHmac("sha256", GITHUB_SECRET).update(body).digest("hex");
  return Buffer.from(
    "POST /webhooks/github HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n" +
      `X-GitHub-Event: ping\r\nX-GitHub-Delivery: soak-${process.pid}-${sequence}\r\n` +
      `X-Hub-Signature-256: sha256=${signature}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

// One kept-alive connection: a request, its whole answer, then the next when the rate allows.
let tokens = 0;
const idle = [];
function connection() {
  const socket = connect({ host: hostname, port: Number(port) });
  let buffer = Buffer.alloc(0);
  let started = 0n;
  const send = () => {
    tokens--;
    started = process.hrtime.bigint();
    socket.write(rawDelivery());
  };
  const next = () => (tokens > 0 ? send() : idle.push(send));
  socket.on("connect", next);
  socket.on("error", () => {});
  socket.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString();
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffer.length < end + 4 + length) return;
      buffer = buffer.subarray(end + 4 + length);
      interval.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (head.startsWith("HTTP/1.1 200")) interval.ok++;
      else interval.failed++;
      next();
    }
  });
}

const procOf = (name) => readFileSync(`/proc/${server.pid}/${name}`, "utf8");
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(procOf("status"))[1]);
const openFiles = () => readdirSync(`/proc/${server.pid}/fd`).length;
const cpuTicks = () => {
  const fields = procOf("stat").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

const samples = [];
const startedAt = Date.now();
let lastTicks = cpuTicks();
// Every 10 ms the requests due by now: handed to idle connections; what none can take at
// once stays due (up to a second's worth; beyond, counted as skipped: a server that cannot
// keep the rate shows as a lower rate, not a growing queue here).
let due = 0;
for (let i = 0; i < 32; i++) connection();
const ticker = setInterval(() => {
  const target = Math.floor(((Date.now() - startedAt) / 1000) * rate);
  tokens += target - due;
  due = target;
  if (tokens > rate) {
    interval.skipped += tokens - rate;
    tokens = rate;
  }
  while (tokens > 0 && idle.length > 0) idle.shift()();
}, 10);
const sampler = setInterval(() => {
  const ticks = cpuTicks();
  const sorted = interval.latencies.sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  const sample = {
    t_s: Math.round((Date.now() - startedAt) / 1000),
    rss_mb: +(rssKb() / 1024).toFixed(1),
    open_files: openFiles(),
    cpu_percent: +(((ticks - lastTicks) / 100 / (SAMPLE_MS / 1000)) * 100).toFixed(0),
    answered_per_s: +((interval.ok + interval.failed) / (SAMPLE_MS / 1000)).toFixed(0),
    failed: interval.failed,
    skipped: interval.skipped,
    p50_ms: +at(0.5).toFixed(1),
    p99_ms: +at(0.99).toFixed(1),
  };
  lastTicks = ticks;
  samples.push(sample);
  interval = { ok: 0, failed: 0, skipped: 0, latencies: [] };
  console.log(JSON.stringify(sample));
}, SAMPLE_MS);

await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
clearInterval(ticker);
clearInterval(sampler);
await new Promise((resolve) => setTimeout(resolve, 500)); // the last answers come in
server.kill("SIGTERM");
await new Promise((resolve) => server.on("exit", resolve));
await provider.close();

const warm = samples.find((sample) => sample.t_s >= WARM_S) ?? samples[0];
const last = samples[samples.length - 1];
const checks = {
  rss_flat: last.rss_mb <= warm.rss_mb * 1.1,
  open_files_flat: last.open_files <= warm.open_files + 8,
  every_answer_200: samples.every((sample) => sample.failed === 0),
  kept_the_rate: samples.every((sample) => sample.skipped === 0),
};
const result = { rate, seconds, warm, last, checks, samples };
writeFileSync("build/bench/native-soak.json", `${JSON.stringify(result, null, 2)}\n`);
console.log(`Frontdesk native soak: ${rate}/s for ${seconds} s`);
console.log(`after warm-up (${warm.t_s} s): RSS ${warm.rss_mb} MB, ${warm.open_files} open files`);
console.log(`at the end (${last.t_s} s):     RSS ${last.rss_mb} MB, ${last.open_files} open files`);
console.log(`checks ${JSON.stringify(checks)}`);
process.exit(Object.values(checks).every(Boolean) ? 0 : 1);
