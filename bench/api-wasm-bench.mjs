// Token verification per API request in V8 (docs/api.md), through the Wasm runtime (the
// WASI build and the Emscripten build) with every effect performed in-process as
// bench/wasm-host.mjs performs it (KV in a Map, the ledger a sql.js database with one
// transaction per call).
//   node bench/api-wasm-bench.mjs   → a table, and build/bench/api-wasm.json
//
// The same requests as bench/api_bench.cpp:
//   verify     GET /api/v1/calls?limit=50 with a token minted by the ledger op token_create
//              that lacks calls:read: bearer parse → SHA-256 → kv.get token:<hash> →
//              ledger authorize (rate-limit count, last_used_at) → scope check → 403. The
//              whole verification and no handler work; the token's rate_limit is huge, so
//              it is never 429.
//   bad token  a well-formed token never minted: 401 at the KV miss
// µs per request (mean, p50, p99), steps per request, and the time inside fd_step. When
// build/bench/native.json holds bench/api_bench.cpp's figures (bench/run.sh runs it
// first), each row shows the native ones beside it as ratios.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";

import { at, BUILDS, mean, median, nativeFigures, openHost, percentile, printTable, responseOf } from "./wasm-host.mjs";

const OUTPUT = at("build/bench/api-wasm.json");
const WARMUP = Number(process.env.API_BENCH_WARMUP ?? 500);
const REQUESTS = Number(process.env.API_BENCH_REQUESTS ?? 5000);

// Requests per minute: never reached (bench/api_bench.cpp's `unlimited`).
const UNLIMITED = 1_000_000_000_000;
// Well formed (fd_ + 40 base62), never minted.
const NEVER_MINTED = "fd_0123456789abcdefghijABCDEFGHIJ0123456789";

// bench/api_bench.cpp's configuration: the tenant of tests/scenarios/targets.mjs.
const INIT = {
  config: {
    tenants: {
      acme: {
        numbers: ["+18886115384"],
        registry: { "+15555550123": "alice.x" },
        policy: {
          screening: "known-only",
          reject_message: "Known callers only. Text us & we call back in < 1 hour.",
        },
      },
    },
  },
  env: {},
};

const callsRequest = (token) => ({
  op: "request",
  request: {
    method: "GET",
    path: "/api/v1/calls",
    query: "limit=50",
    headers: [["authorization", `Bearer ${token}`]],
    body_b64: "",
  },
});

// 403 after the whole verification: the ledger authorized the token (its rate headers
// carry the token's own limit), then the scope check refused it.
function verifiedThenForbidden({ status, headers, body }) {
  return status === 403 && headers.get("ratelimit-limit") === String(UNLIMITED) && body.includes("calls:read");
}
function unauthenticated({ status, headers, body }) {
  return status === 401 && !headers.has("ratelimit-limit") && body.includes("a valid API token is required");
}

// Times each request on its own (µs); steps and fd_step time over the timed ones only.
async function timed(host, input, check) {
  for (let i = 0; i < WARMUP; i++) {
    const response = responseOf(await host.request(input));
    if (!check(response)) throw new Error(`answered ${response.status}: ${response.body}`);
  }
  host.resetSteps();
  const times = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const output = await host.request(input);
    times.push((performance.now() - start) * 1000);
    const response = responseOf(output);
    if (!check(response)) throw new Error(`answered ${response.status}: ${response.body}`);
  }
  return {
    mean_us: mean(times),
    median_us: median(times),
    p50_us: percentile(times, 0.5),
    p99_us: percentile(times, 0.99),
    steps_per_request: host.steps / REQUESTS,
    // Of the mean: the time inside fd_step (the core, JSON in and out, the copies); the rest
    // is the host's effects (sql.js, the Maps) and the JS step loop.
    in_runtime_us: (host.stepMs * 1000) / REQUESTS,
    requests: REQUESTS,
  };
}

async function variants(build) {
  const host = await openHost(build, INIT);
  try {
    const minted = JSON.parse(
      await host.ledger({
        op: "token_create",
        name: "bench",
        scopes: ["messages:read", "registry:read"],
        rate_limit: UNLIMITED,
        created_by: "bench",
      }),
    );
    const verify = await timed(host, callsRequest(minted.plaintext), verifiedThenForbidden);
    // Every request was counted in the token's rate window: the warm-up, the timed ones
    // and this last one.
    const last = responseOf(await host.request(callsRequest(minted.plaintext)));
    const counted = WARMUP + REQUESTS + 1;
    if (last.headers.get("ratelimit-remaining") !== String(UNLIMITED - counted)) {
      throw new Error(`the rate window did not count every request: ${last.headers.get("ratelimit-remaining")}`);
    }
    const badToken = await timed(host, callsRequest(NEVER_MINTED), unauthenticated);
    return { verify, bad_token: badToken };
  } finally {
    host.close();
  }
}

// bench/api_bench.cpp's figures.
const native = await nativeFigures("BM_Api_");
const NATIVE_PEERS = {
  verify: { memory: "BM_Api_StepProtocol_MemorySqlite_TokenVerify", host: "BM_Api_Host_TokenVerify/tmpfs" },
  bad_token: { host: "BM_Api_Host_BadToken/tmpfs" },
};
const LABELS = { verify: "token verified, 403", bad_token: "unknown token, 401" };

const result = { node: process.version, v8: process.versions.v8, requests: REQUESTS, warmup: WARMUP, api: {}, native };
const rows = [];
for (const [buildName, build] of Object.entries(BUILDS)) {
  if (!existsSync(build.path)) {
    console.log(`${buildName}: ${build.path} is missing, skipped`);
    continue;
  }
  const figures = await variants(build);
  result.api[buildName] = figures;
  for (const [name, f] of Object.entries(figures)) {
    const notes = [
      `p50 ${f.p50_us.toFixed(1)} µs, p99 ${f.p99_us.toFixed(1)} µs`,
      `${f.steps_per_request} steps`,
      `${f.in_runtime_us.toFixed(1)} µs in fd_step`,
    ];
    const versus = (peer, what) => `${(f.mean_us / peer.us).toFixed(2)}x ${what} (${peer.us.toFixed(1)} µs)`;
    const memory = native[NATIVE_PEERS[name].memory];
    const host = native[NATIVE_PEERS[name].host];
    if (memory) notes.push(versus(memory, `native step protocol, ${memory.steps} steps`));
    if (memory?.in_runtime_us) {
      const ratio = f.in_runtime_us / memory.in_runtime_us;
      notes.push(`fd_step ${ratio.toFixed(2)}x native Runtime::step (${memory.in_runtime_us.toFixed(1)} µs)`);
    }
    if (host) notes.push(versus(host, "native host on tmpfs"));
    rows.push([`${buildName}: ${LABELS[name]}`, `${f.mean_us.toFixed(1)} µs`, notes.join("; ")]);
  }
}
for (const [name, label] of [
  ["BM_Api_Host_TokenVerify/disk", "native host, disk: token verified, 403"],
  ["BM_Api_Host_BadToken/disk", "native host, disk: unknown token, 401"],
  ["BM_Api_TokenCpu", "native: bearer parse + well_formed + SHA-256"],
]) {
  const f = native[name];
  if (!f) continue;
  const tail = f.p50_us === undefined ? "CPU only" : `p50 ${f.p50_us.toFixed(1)} µs, p99 ${f.p99_us.toFixed(1)} µs`;
  rows.push([label, `${f.us.toFixed(name === "BM_Api_TokenCpu" ? 3 : 1)} µs`, tail]);
}

printTable(
  `Frontdesk API token verification per request — Node ${process.version} (V8 ${process.versions.v8}), ` +
    `mean of ${REQUESTS}`,
  rows,
);

await mkdir(at("build/bench"), { recursive: true });
await writeFile(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${OUTPUT}`);
