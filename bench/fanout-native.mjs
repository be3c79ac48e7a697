// Fan-out deliveries per second natively: the release server (`frontdesk serve`, preset
// native-release) on a database on this machine's disk, ENDPOINTS endpoints that all point at
// a local receiver (200 to everything), and CALLS new Telnyx calls sent CONCURRENCY at a time;
// each call makes call.received and call.screened for every endpoint. Reported: deliveries
// received per second from the first call to the last delivery, beside the disk's
// durable-commit rate measured just before (build/bench/durable-floor, as native-load.sh).
//   node bench/fanout-native.mjs            → a line, and build/bench/fanout-native.json
// Env: FANOUT_ENDPOINTS (default 10), FANOUT_CALLS (default 500), FANOUT_CONCURRENCY (16).
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";

import { benchConfig, benchEnv, newCallBody, numberSource, signTelnyx, startProvider, telnyxKey } from "./bench-deliveries.mjs";
import { at } from "./wasm-host.mjs";

const ENDPOINTS = Number(process.env.FANOUT_ENDPOINTS ?? 10);
const CALLS = Number(process.env.FANOUT_CALLS ?? 500);
const CONCURRENCY = Number(process.env.FANOUT_CONCURRENCY ?? 16);
const BINARY = at("build/native-release/native-harness/frontdesk");
const FLOOR = at("build/bench/durable-floor");

if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: cmake --build --preset native-release`);
if (!existsSync(FLOOR)) {
  execFileSync("cc", ["-O2", "-Wall", "-o", FLOOR, at("bench/durable-floor.c"), "-lsqlite3"]);
}

const dir = mkdtempSync(join(at("build"), "fanout-native-"));
const floor = JSON.parse(execFileSync(FLOOR, [join(dir, "floor.db"), "3"], { encoding: "utf8" }));

// The receiver: counts deliveries, answers 200.
let received = 0;
let lastAt = 0;
const receiver = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    received++;
    lastAt = performance.now();
    response.end("ok");
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
const provider = await startProvider();

const key = telnyxKey();
const bootstrap = `bench-${randomUUID()}`;
const config = {
  ...benchConfig({ providerUrl: provider.url, telnyxPublicKeyB64: key.publicKeyB64 }),
  fanout: { allow_http: true, allow_private: true },
};
writeFileSync(join(dir, "config.json"), JSON.stringify(config));
const server = spawn(BINARY, ["serve", "--config", join(dir, "config.json"), "--db", join(dir, "frontdesk.db"), "--listen", "127.0.0.1:0"], {
  env: { ...process.env, ...benchEnv(), FRONTDESK_BOOTSTRAP_TOKEN: bootstrap },
  stdio: ["ignore", "pipe", "pipe"],
});
const base = await new Promise((resolve, reject) => {
  let seen = "";
  const look = (chunk) => {
    seen += chunk;
    const match = /http:\/\/127\.0\.0\.1:\d+/.exec(seen);
    if (match) resolve(match[0]);
  };
  server.stdout.on("data", look);
  server.stderr.on("data", look);
  server.on("exit", (code) => reject(new Error(`frontdesk serve exited ${code}: ${seen}`)));
});

async function api(method, path, token, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

try {
  const { token } = await api("POST", "/api/v1/tokens", bootstrap, { tenant: "acme", name: "bench", scopes: ["endpoints:write"] });
  for (let i = 0; i < ENDPOINTS; i++) await api("POST", "/api/v1/endpoints", token, { url: `${receiverUrl}/${i}` });
  const fresh = numberSource(700_000);
  const deliveries = CALLS * 2 * ENDPOINTS;
  const started = performance.now();
  let next = 0;
  async function worker() {
    while (next < CALLS) {
      next++;
      const request = signTelnyx(key.privateKey, newCallBody(fresh()));
      const response = await fetch(`${base}${request.path}`, { method: "POST", headers: request.headers, body: request.body });
      if (response.status !== 200) throw new Error(`a call answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const answeredS = (performance.now() - started) / 1000;
  const deadline = Date.now() + 300_000;
  while (received < deliveries) {
    if (Date.now() > deadline) throw new Error(`the receiver got ${received} of ${deliveries} deliveries`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (lastAt - started) / 1000;
  const result = {
    endpoints: ENDPOINTS,
    calls: CALLS,
    concurrency: CONCURRENCY,
    deliveries,
    calls_answered_s: answeredS,
    seconds,
    deliveries_per_s: deliveries / seconds,
    floor_commits_per_s: floor.commits_per_s,
    ratio_to_floor: deliveries / seconds / floor.commits_per_s,
  };
  console.log(
    `fan-out natively: ${deliveries} deliveries (${CALLS} calls × 2 events × ${ENDPOINTS} endpoints) in ` +
      `${seconds.toFixed(2)} s: ${result.deliveries_per_s.toFixed(0)} deliveries/s, ` +
      `${result.ratio_to_floor.toFixed(2)}× the disk's ${floor.commits_per_s.toFixed(0)} durable commits/s ` +
      `(calls answered in ${answeredS.toFixed(2)} s)`,
  );
  await mkdir(at("build/bench"), { recursive: true });
  await writeFile(at("build/bench/fanout-native.json"), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  server.kill("SIGTERM");
  receiver.close();
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
}
