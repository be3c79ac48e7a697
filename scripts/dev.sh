#!/usr/bin/env bash
# Runs the Worker locally in workerd (wrangler dev), offline: KV and Durable Objects are
# simulated under .wrangler/state. Extra arguments go to wrangler, e.g.
#   scripts/dev.sh --var FRONTDESK_FAULTS:storage
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build-worker.sh
export WRANGLER_SEND_METRICS=false # no telemetry requests from an offline machine
# The local binary rather than npx: npx does not pass SIGTERM on, which would orphan workerd.
exec node_modules/.bin/wrangler dev --port "${PORT:-8788}" --ip 127.0.0.1 --local --show-interactive-dev-session=false "$@"
