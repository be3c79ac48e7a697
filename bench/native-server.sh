# Sourced by bench/native-load.sh and bench/native-live.sh: what both need to run the real
# native server (preset native-release) on the normal disk under wrk.

# The server measured: FRONTDESK_BENCH_BINARY (another build, for an A/B in one sitting), else
# the native-release build of this tree.
server_binary=${FRONTDESK_BENCH_BINARY:-build/native-release/native-harness/frontdesk}

# wrk from Debian, and the server built (incrementally: a second or two when up to date).
native_server_prepare() {
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  if ! command -v wrk >/dev/null; then
    as_root apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 ||
      { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
  fi
  [ -n "${FRONTDESK_BENCH_BINARY:-}" ] && return 0
  [ -f build/native-release/build.ninja ] || cmake --preset native-release >/dev/null
  cmake --build --preset native-release --target frontdesk >/dev/null
}

# Whatever native_server_start started goes when the script ends, or is interrupted.
native_server_stop_on_exit() {
  server_pid=""
  provider_pid=""
  native_server_cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$provider_pid" ] && kill "$provider_pid" 2>/dev/null || true
  }
  trap native_server_cleanup EXIT
  trap 'exit 124' INT TERM
}

# Waits (up to 10 s) until file $1 holds a line matching $2; prints the match.
wait_for_line() {
  for _ in $(seq 100); do
    if [ -f "$1" ] && grep -m1 -oE "$2" "$1"; then return 0; fi
    sleep 0.1
  done
  echo "native server bench: nothing matching '$2' in $1" >&2
  return 1
}

# In directory $1: the provider stand-in, the bench configuration and the server on it;
# sets provider_pid, server_pid and url (the server's request log goes to $1/server.log, as
# a deployment's would go to its journal).
native_server_start() {
  local dir=$1
  node bench/native-load-requests.mjs provider "$dir/provider.port" "$dir/provider.count" &
  provider_pid=$!
  local provider_port
  provider_port=$(wait_for_line "$dir/provider.port" '^[0-9]+')
  node bench/native-load-requests.mjs config "$dir" "http://127.0.0.1:$provider_port"
  (
    . "$dir/env.sh"
    exec "$server_binary" serve --config "$dir/config.json" --db "$dir/frontdesk.db" \
      --listen 127.0.0.1:0
  ) >"$dir/server.log" 2>&1 &
  server_pid=$!
  url=$(wait_for_line "$dir/server.log" 'http://127\.0\.0\.1:[0-9]+')
}
