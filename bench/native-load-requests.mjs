// bench/native-load.sh's Node side, one subcommand per job:
//   config DIR PROVIDER_URL          a Telnyx key (DIR/telnyx-key.pem) and the configuration
//                                    (DIR/config.json, bench-deliveries.mjs's benchConfig)
//   requests DIR CASE COUNT HOSTPORT OUT [FIRST_NUMBER]
//                                    COUNT signed deliveries of CASE (call | platform), each a
//                                    complete HTTP/1.1 request, NUL-separated, for native-load.lua;
//                                    signed now, so run it right before wrk
//   provider PORTFILE COUNTFILE      the provider stand-in (200 {} to everything) on 127.0.0.1;
//                                    writes its port, and on SIGTERM the number of requests it got
//   report DIR OUT                   the table, and the JSON from DIR's pieces
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import {
  benchConfig,
  benchEnv,
  newCallBody,
  numberSource,
  platformEventBody,
  signTelnyx,
  startProvider,
  telnyxKey,
} from "./bench-deliveries.mjs";

const [command, ...args] = process.argv.slice(2);

// One raw request; wrk sends it byte for byte.
function rawRequest({ method, path, headers, body }, hostPort) {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${hostPort}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${body.length}`, "", "");
  return Buffer.concat([Buffer.from(lines.join("\r\n")), Buffer.from(body)]);
}

if (command === "config") {
  const [dir, providerUrl] = args;
  const key = telnyxKey();
  writeFileSync(join(dir, "telnyx-key.pem"), key.pem, { mode: 0o600 });
  const config = benchConfig({ providerUrl, telnyxPublicKeyB64: key.publicKeyB64 });
  writeFileSync(join(dir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
  // The env:NAME values, as shell assignments for the server's environment.
  const env = Object.entries(benchEnv()).map(([name, value]) => `export ${name}='${value}'\n`);
  writeFileSync(join(dir, "env.sh"), env.join(""), { mode: 0o600 });
} else if (command === "requests") {
  const [dir, kind, count, hostPort, out, firstNumber = "0"] = args;
  const key = telnyxKey(readFileSync(join(dir, "telnyx-key.pem"), "utf8"));
  const freshNumber = numberSource(Number(firstNumber));
  const body = { call: () => newCallBody(freshNumber()), platform: platformEventBody }[kind];
  if (!body) throw new Error(`unknown case ${kind}`);
  const parts = [];
  for (let i = 0; i < Number(count); i++) {
    if (i > 0) parts.push(Buffer.from([0]));
    parts.push(rawRequest(signTelnyx(key.privateKey, body()), hostPort));
  }
  writeFileSync(out, Buffer.concat(parts));
} else if (command === "provider") {
  const [portFile, countFile] = args;
  const provider = await startProvider();
  process.on("SIGTERM", async () => {
    writeFileSync(countFile, `${provider.received}\n`);
    await provider.close();
    process.exit(0);
  });
  writeFileSync(portFile, `${new URL(provider.url).port}\n`);
} else if (command === "report") {
  const [dir, out] = args;
  const read = (name) => JSON.parse(readFileSync(join(dir, name), "utf8"));
  const result = read("run.json");
  for (const name of Object.keys(result.cases)) {
    Object.assign(result.cases[name], read(`${name}.wrk.json`), read(`${name}.check.json`));
  }
  const { before, after } = result.floor;
  const rows = [
    ["durable commits, before", `${before.commits_per_s.toFixed(0)}/s`, floorNote(before)],
    ["durable commits, after", `${after.commits_per_s.toFixed(0)}/s`, floorNote(after)],
  ];
  for (const [name, c] of Object.entries(result.cases)) {
    // Against both floors: a disk shared with other work moves between them.
    c.ratio_to_floor = { before: c.requests_per_s / before.commits_per_s, after: c.requests_per_s / after.commits_per_s };
    rows.push([
      { new_call: "new call.initiated", ingress_only: "ingress only (platform event)" }[name] ?? name,
      `${c.requests_per_s.toFixed(0)}/s`,
      [
        `${(c.ratio_to_floor.before * 100).toFixed(1)}% / ${(c.ratio_to_floor.after * 100).toFixed(1)}% of the floor before / after`,
        `server CPU ${((c.server_cpu_ms * 1000) / c.requests).toFixed(0)} µs/request, ` +
          `kernel ${((c.server_system_cpu_ms * 1000) / c.requests).toFixed(0)} ` +
          `(${((c.server_cpu_ms / (c.duration_us / 1000)) * 100).toFixed(0)}% of a core), ` +
          `syscr ${(c.server_read_syscalls / c.requests).toFixed(1)}, ` +
          `syscw ${(c.server_write_syscalls / c.requests).toFixed(1)} per request`,
        `provider stand-in CPU ${((c.provider_cpu_ms * 1000) / c.requests).toFixed(0)} µs/request; ` +
          `machine ${c.machine_busy_pct}% busy (${c.cores} cores)`,
        `p50 ${(c.p50_us / 1000).toFixed(1)} ms, p99 ${(c.p99_us / 1000).toFixed(1)} ms`,
        `non-2xx ${c.non2xx}, socket errors ${Object.values(c.errors).reduce((a, b) => a + b, 0) - c.errors.status}`,
        `stored ${c.stored} (every 200 found once: ${c.verified})`,
      ].join("; "),
    ]);
  }
  printTable(
    `Frontdesk native server under wrk (${result.connections} connections, ${result.duration_s} s per case, ` +
      `database on ${result.filesystem}, ${result.allocator} malloc; load average ${result.loadavg.start} → ${result.loadavg.end})`,
    rows,
  );
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${out}`);
} else {
  console.error("usage: native-load-requests.mjs config|requests|provider|report …");
  process.exit(2);
}

// Rows of [label, value, note], aligned (as bench/wasm-host.mjs's printTable, which this
// does not import: it would load node:wasi for nothing).
function printTable(title, rows) {
  const width = [0, 1].map((i) => Math.max(...rows.map((row) => row[i].length)));
  console.log(title);
  for (const [label, value, note] of rows) console.log(`${label.padEnd(width[0])}  ${value.padStart(width[1])}  ${note}`);
}

function floorNote(floor) {
  return `p50 ${floor.p50_us} µs, p99 ${floor.p99_us} µs, max ${floor.max_us} µs per commit (WAL, synchronous=FULL, SQLite ${floor.sqlite})`;
}
