#!/usr/bin/env bash
# Sets everything up and starts Frontdesk locally: the native server on an embedded SQLite
# file. FRONTDESK_CONFIG_FILE, FRONTDESK_DB and FRONTDESK_LISTEN override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset native-release >/dev/null
cmake --build --preset native-release --target frontdesk

config=${FRONTDESK_CONFIG_FILE:-examples/frontdesk.json}
db=${FRONTDESK_DB:-.data/frontdesk.db}
mkdir -p "$(dirname "$db")"
exec build/native-release/native-harness/frontdesk serve --config "$config" --db "$db" \
  --listen "${FRONTDESK_LISTEN:-127.0.0.1:8787}"
