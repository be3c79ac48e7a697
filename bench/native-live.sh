#!/usr/bin/env bash
# Live operations under load against the real native server (`frontdesk serve`, preset
# native-release), database on the normal disk: wrk at 64 connections sends ingress-only
# deliveries (a Telnyx event that is neither call nor text) for LIVE_DURATION seconds
# (default 60; the pre-signed file cycles, so later passes are provider retries), while
# bench/native-live-probe.mjs times GET /health every 20 ms on a connection of its own and
# runs `frontdesk token create` and `frontdesk events --limit 5000` against the live
# database (through the server's admin socket).
#   bash bench/native-live.sh   → a table, and build/bench/native-live.json
# Targets (issue "The native host at disk speed"): /health p99 < 10 ms; no request over
# 100 ms and no 503 while the commands run. The script exits 1 when one is missed.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${LIVE_DURATION:-60}
CONNECTIONS=64
REQUESTS=60000
out=build/bench/native-live

. bench/native-server.sh
if [ "${1:-}" != "--measure" ]; then
  native_server_prepare
  exec timeout -k 5 $((DURATION + 120)) bash "$0" --measure
fi

rm -rf "$out"
mkdir -p "$out"
native_server_stop_on_exit

native_server_start "$out"
node bench/native-load-requests.mjs requests "$out" platform "$REQUESTS" "${url#http://}" "$out/load.req" 0

node bench/native-live-probe.mjs "$url" "$out/frontdesk.db" "$DURATION" "$out/probe.json" &
probe_pid=$!
NATIVE_LOAD_REQUESTS=$out/load.req NATIVE_LOAD_THREADS=1 NATIVE_LOAD_CYCLE=1 NATIVE_LOAD_SUMMARY=$out/wrk.json \
  NATIVE_LOAD_IDS=$out/ids timeout $((DURATION + 30)) wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
  -s bench/native-load.lua "$url/" >/dev/null
wait "$probe_pid"

node -e '
const fs = require("fs");
const [dir, out, connections, duration] = process.argv.slice(1);
const wrk = JSON.parse(fs.readFileSync(`${dir}/wrk.json`, "utf8"));
const probe = JSON.parse(fs.readFileSync(`${dir}/probe.json`, "utf8"));
const checks = {
  health_p99_under_10ms: probe.health.p99_ms < 10 && probe.health.non200 === 0,
  no_request_over_100ms: wrk.max_us < 100000,
  no_503: wrk.non2xx === 0,
  commands_ok: probe.commands.token_create.ok && probe.commands.events.ok,
};
const result = { connections: Number(connections), duration_s: Number(duration), wrk, probe, checks };
console.log(`Frontdesk native server, live operations under load (${connections} connections, ${duration} s)`);
console.log(`deliveries        ${wrk.requests_per_s.toFixed(0)}/s; p50 ${(wrk.p50_us / 1000).toFixed(1)} ms, p99 ${(wrk.p99_us / 1000).toFixed(1)} ms, max ${(wrk.max_us / 1000).toFixed(1)} ms; non-2xx ${wrk.non2xx}`);
console.log(`GET /health       ${probe.health.count} probes; p50 ${probe.health.p50_ms.toFixed(2)} ms, p99 ${probe.health.p99_ms.toFixed(2)} ms, max ${probe.health.max_ms.toFixed(2)} ms; non-200 ${probe.health.non200}`);
console.log(`token create      ${probe.commands.token_create.ok ? "ok" : "FAILED"} in ${probe.commands.token_create.ms.toFixed(0)} ms`);
console.log(`events --limit    ${probe.commands.events.ok ? "ok" : "FAILED"} in ${probe.commands.events.ms.toFixed(0)} ms (${probe.commands.events.lines} lines)`);
console.log(`checks            ${JSON.stringify(checks)}`);
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.exit(Object.values(checks).every(Boolean) ? 0 : 1);
' "$out" build/bench/native-live.json "$CONNECTIONS" "$DURATION"
