#!/usr/bin/env bash
# Runs the benchmarks: the native effect loop, ingress, call.initiated pipeline
# (bench/pipeline_bench.cpp) and API (bench/api_bench.cpp: token verification, GET
# /api/v1/calls over 100 000 calls with its query plans), on the real native host; and the
# Wasm module in Node's V8 (bench/wasm-bench.mjs; bench/pipeline-wasm-bench.mjs and
# bench/api-wasm-bench.mjs, the same pipeline and token verification with the effects
# performed in JS, beside the native figures); the deployable Worker bundle's CPU per
# delivery in workerd (bench/workerd-bench.mjs) and the native server's new calls per second
# under wrk beside the disk's durable-commit floor (bench/native-load.sh), and /health and the
# command line under that load (bench/native-live.sh). Figures go to build/bench/ as JSON too.
# The 30-minute soak (bench/native-soak.mjs) runs on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
mkdir -p build/bench
cmake --preset native-release >/dev/null
cmake --build --preset native-release --target frontdesk_bench >/dev/null
build/native-release/bench/frontdesk_bench --benchmark_min_time=0.5 \
  --benchmark_out=build/bench/native.json --benchmark_out_format=json
cmake --preset wasi >/dev/null && cmake --build --preset wasi >/dev/null
bash scripts/build-worker.sh >/dev/null
node bench/wasm-bench.mjs
# These read build/bench/native.json (above) for the native side of their ratios.
node bench/pipeline-wasm-bench.mjs
node bench/api-wasm-bench.mjs
# The bundle `wrangler deploy` would upload (its build step is the one above, up to date).
rm -rf build/worker-dry-run # a stale module beside the new one would be ambiguous
npx --no-install wrangler deploy --dry-run --outdir build/worker-dry-run >/dev/null
node bench/workerd-bench.mjs
node bench/workerd-ed25519.mjs
bash bench/native-load.sh
bash bench/native-live.sh
