#!/usr/bin/env bash
# Sets everything up and runs every test: the native build (with sanitizers), both Wasm
# builds, the conformance corpus on all three targets, and the Worker in workerd.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== native (address + undefined sanitizers)"
cmake --preset native >/dev/null
cmake --build --preset native
ctest --preset native

echo "== fuzzing (libFuzzer, short run; scripts/fuzz.sh 600 for a long one)"
bash scripts/fuzz.sh "${FRONTDESK_FUZZ_SECONDS:-10}"

echo "== wasi"
cmake --preset wasi >/dev/null
cmake --build --preset wasi

echo "== emscripten (the Worker's module)"
bash scripts/build-worker.sh

echo "== console (scripts/build-console.sh)"
bash scripts/build-console.sh

echo "== Worker, WASI driver and conformance corpus (native, wasi, emscripten in workerd)"
node --test --test-concurrency=1 tests/js/ tests/conformance/ tests/scenarios/ tests/api/

echo "== console in headless Chromium"
node --test --test-concurrency=1 tests/browser/

echo "== deployable Worker bundle (wrangler deploy --dry-run)"
if ! npx --no-install wrangler deploy --dry-run --outdir build/worker-dry-run >build/worker-dry-run.log 2>&1; then
  cat build/worker-dry-run.log
  echo "wrangler deploy --dry-run failed"
  exit 1
fi
grep -E "Total Upload" build/worker-dry-run.log
