#!/usr/bin/env bash
# Sets everything up and starts Frontdesk locally: the native server on an embedded SQLite
# file, with the console at http://HOST:PORT/.
#
# A first run works as it is: the configuration's `env:` secrets that are unset get local
# development values (`frontdesk dev-env`, kept in .data/dev.env, mode 0600, git-ignored),
# a first admin token is made for the console, and both the console's URL and the token are
# printed. Then `frontdesk simulate call --source telnyx --from +15555550123` shows a call.
#
# Overrides: FRONTDESK_CONFIG_FILE (examples/frontdesk.json), FRONTDESK_DB
# (.data/frontdesk.db), FRONTDESK_LISTEN (127.0.0.1:8787), FRONTDESK_DEV_ENV (.data/dev.env),
# FRONTDESK_PRESET (native-release).
set -euo pipefail
cd "$(dirname "$0")/.."

preset=${FRONTDESK_PRESET:-native-release}
bash scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target frontdesk
bash scripts/build-console.sh
frontdesk=build/$preset/native-harness/frontdesk

config=${FRONTDESK_CONFIG_FILE:-examples/frontdesk.json}
db=${FRONTDESK_DB:-.data/frontdesk.db}
listen=${FRONTDESK_LISTEN:-127.0.0.1:8787}
dev_env=${FRONTDESK_DEV_ENV:-.data/dev.env}
mkdir -p "$(dirname "$db")" "$(dirname "$dev_env")"

# Development values for what the environment does not set; a value set in the
# environment always wins over the file's.
"$frontdesk" dev-env --config "$config" --out "$dev_env"
while IFS= read -r line; do
  case "$line" in '' | \#*) continue ;; esac
  name=${line%%=*}
  value=${line#*=}
  value=${value#\'}
  value=${value%\'}
  if [ -z "${!name:-}" ]; then export "$name=$value"; fi
done <"$dev_env"

# The console's first admin token, made once per database (the plaintext is kept beside
# it, mode 0600, for this script to print again).
token_file=$db.console-token
if [ ! -f "$db" ]; then rm -f "$token_file"; fi
if [ ! -s "$token_file" ]; then
  tenant=$(node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = Object.keys(c.tenants ?? {}); if (!t.length) process.exit(1); console.log(t[0]);' "$config")
  scopes=calls:read,calls:write,messages:read,messages:write,registry:read,registry:write,events:read
  scopes=$scopes,outbound:write,endpoints:read,endpoints:write,metrics:read,audit:read,tokens:admin
  created=$("$frontdesk" token create --db "$db" --tenant "$tenant" --scopes "$scopes" --name console)
  (umask 077 && node -e 'console.log(JSON.parse(process.argv[1]).token)' "$created" >"$token_file")
fi

echo "Console: http://$listen/  (sign in with the token below)"
echo "Token:   $(cat "$token_file")"
echo "Try:     $frontdesk simulate call --source telnyx --from +15555550123"
exec "$frontdesk" serve --config "$config" --db "$db" --listen "$listen" --console build/console
