#!/usr/bin/env bash
# Builds the core with Emscripten and puts the module where the Worker imports it
# (worker-shim/generated/, build output, not committed). wrangler's [build] runs this,
# also on every change under core/ and wasm/ while `wrangler dev` watches.
set -euo pipefail
cd "$(dirname "$0")/.."

# wrangler may start a build while the last one runs: two ninjas in one build tree
# corrupt it, so builds take turns.
mkdir -p build
exec 9>build/.build-worker.lock
flock 9

export NODE_PATH=/usr/share/nodejs # Emscripten 3.1.6's JS tools need Debian's acorn
if [ ! -f build/emscripten/build.ninja ]; then
  cmake --preset emscripten >/dev/null
fi
cmake --build --preset emscripten

# The glue and the module must come from the same link: stage both, then rename, and
# only when they changed, so watchers are not woken for nothing.
out=worker-shim/generated
mkdir -p "$out"
if ! cmp -s build/emscripten/wasm/frontdesk.mjs "$out/frontdesk.mjs" ||
  ! cmp -s build/emscripten/wasm/frontdesk.wasm "$out/frontdesk.wasm"; then
  cp build/emscripten/wasm/frontdesk.wasm "$out/.frontdesk.wasm.tmp"
  cp build/emscripten/wasm/frontdesk.mjs "$out/.frontdesk.mjs.tmp"
  mv "$out/.frontdesk.wasm.tmp" "$out/frontdesk.wasm"
  mv "$out/.frontdesk.mjs.tmp" "$out/frontdesk.mjs"
fi
