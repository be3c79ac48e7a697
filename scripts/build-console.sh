#!/usr/bin/env bash
# Builds the operator's console (console/) into build/console/: index.html, app.js and
# app.css (Preact, htm and uPlot bundled by esbuild; nothing loaded from elsewhere). The same
# directory is served by the Worker (static assets) and by `frontdesk serve`.
# Needs `npm ci` first. Idempotent: the three files are rewritten, anything else there removed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ESBUILD=node_modules/.bin/esbuild
if [[ ! -x "$ESBUILD" ]]; then
  echo "build-console: $ESBUILD is missing: run npm ci" >&2
  exit 1
fi

OUT=build/console
mkdir -p "$OUT"
"$ESBUILD" console/src/main.js \
  --bundle \
  --format=esm \
  --target=es2020,chrome100,firefox100,safari15 \
  --minify \
  --legal-comments=none \
  --charset=utf8 \
  --log-level=warning \
  --outfile="$OUT/app.js"
cp console/index.html "$OUT/index.html"

# Only what the console needs: stale files (an older build's) go.
find "$OUT" -mindepth 1 -not -name index.html -not -name app.js -not -name app.css -exec rm -rf {} +

for file in index.html app.js app.css; do
  [[ -s "$OUT/$file" ]] || { echo "build-console: $OUT/$file was not built" >&2; exit 1; }
done
echo "build-console: $OUT ($(du -cb "$OUT"/index.html "$OUT"/app.js "$OUT"/app.css | tail -1 | cut -f1) bytes)"
