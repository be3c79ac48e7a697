#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-16, ASan + UBSan) and runs each for SECONDS
# (default 10; the test command runs them briefly, e.g. `scripts/fuzz.sh 600` for a long run).
# A crash, leak or UB report fails the run and leaves the input in build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mkdir -p build/fuzz/artifacts
for target in fuzz_signature_headers fuzz_form fuzz_normalize fuzz_phone fuzz_step_protocol fuzz_api; do
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus"
  cp tests/fuzz/seeds/* "$corpus"/
  # The documented provider samples seed every target too.
  for sample in tests/conformance/samples/*/*; do
    cp "$sample" "$corpus/sample-$(basename "$(dirname "$sample")")-$(basename "$sample")"
  done
  echo "fuzz: $target for ${seconds}s"
  log=build/fuzz/$target.log
  if ! build/fuzz/tests/fuzz/$target -max_total_time="$seconds" -rss_limit_mb=2048 \
      -artifact_prefix=build/fuzz/artifacts/$target- "$corpus" >"$log" 2>&1; then
    grep -E "ERROR|SUMMARY|runtime error" "$log" | head -20
    echo "fuzz: $target FAILED (log: $log)"
    exit 1
  fi
  grep -E "^Done" "$log" || true
done
