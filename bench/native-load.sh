#!/usr/bin/env bash
# New calls per second against the real native server (`frontdesk serve`, preset
# native-release) under wrk at 64 connections, next to the disk's durable-commit floor
# measured just before and just after (bench/durable-floor.c): what one writer committing
# serially, an fsync per commit, can reach. The server commits in groups (one sync for many
# deliveries), so it may pass the floor; the database is on the normal disk
# (build/bench/native-load/), never tmpfs, because a tmpfs fsync costs nothing and would hide
# exactly what group commit is for.
#   bash bench/native-load.sh   → a table, and build/bench/native-load.json
#
# Cases, each for NATIVE_LOAD_DURATION seconds (default 12) after a 1 s warm-up:
#   new call      a Telnyx call.initiated from a unique caller (known-only: answer + speak are
#                 queued and sent to a local provider stand-in by the ledger's alarm)
#   ingress only  a Telnyx event that is neither call nor text (one ledger write)
# Every request is pre-signed by bench/native-load-requests.mjs just before its run and sent
# once (bench/native-load.lua); afterwards each 200's event_id is looked up in the tenant's
# ledger database (<db>.objects/ledger/<tenant>.sqlite) to show it was stored exactly once.
# Beside the server's CPU, each case reports the provider stand-in's and how busy the whole
# machine was: well under 100% busy, the limit is not the cores (for new calls it has been
# the server's one object thread).
# Traffic goes to 127.0.0.1 only. Once the server is built, the run is bounded (timeout).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${NATIVE_LOAD_DURATION:-12}
CONNECTIONS=64
THREADS=1 # one wrk thread keeps up with 64 connections here and leaves the server a core
FLOOR_SECONDS=3
MAX_REQUESTS=200000
out=build/bench/native-load

. bench/native-server.sh
if [ "${1:-}" != "--measure" ]; then
  native_server_prepare
  mkdir -p build/bench
  cc -O2 -Wall -o build/bench/durable-floor bench/durable-floor.c -lsqlite3
  exec timeout -k 5 170 bash "$0" --measure
fi

rm -rf "$out"
mkdir -p "$out"
fstype=$(df --output=fstype "$out" | tail -1 | tr -d ' ')
if [ "$fstype" = tmpfs ]; then
  echo "native-load: $out is on tmpfs; the figures would not be a disk's" >&2
  exit 1
fi

native_server_stop_on_exit

# sync first: the floor is the disk's, not that of a disk still writing back this run's
# thousands of new database files.
floor() {
  timeout 30 sync || true
  build/bench/durable-floor "$out/floor.db" "$FLOOR_SECONDS"
}

# The machine may be shared: its load goes in the report beside the figures.
load_before=$(cut -d' ' -f1 /proc/loadavg)
floor_before=$(floor)

native_server_start "$out"
host_port=${url#http://}
# The allocator the server runs on (the release preset links jemalloc) goes in the report.
allocator=glibc
grep -q libjemalloc "/proc/$server_pid/maps" && allocator=jemalloc

floor_rate=$(sed -E 's/.*"commits_per_s":([0-9.]+).*/\1/' <<<"$floor_before")
# Enough not to run out below three times the floor (the ingress-only target is twice it).
count=$(awk -v f="$floor_rate" -v d="$DURATION" -v m="$MAX_REQUESTS" 'BEGIN { n = int(3 * f * d) + 2000; print (n > m ? m : n) }')

# $1 = file, $2 = connections, $3 = seconds, $4 = summary JSON, $5 = event ids
run_wrk() {
  NATIVE_LOAD_REQUESTS=$1 NATIVE_LOAD_THREADS=$THREADS NATIVE_LOAD_SUMMARY=$4 NATIVE_LOAD_IDS=$5 \
    timeout $(($3 + 30)) wrk -t"$THREADS" -c"$2" -d"$3s" --timeout 10s -s bench/native-load.lua "$url/" >/dev/null
}

ledger_sql() { sqlite3 -readonly "$1" "$2"; }

# The server's CPU time so far (utime and stime, all threads), in clock ticks: set beside
# the wall time it tells whether a case waits on the disk or on the processor.
server_ticks() { sed -E 's/.*\) //' "/proc/$server_pid/stat" | awk '{ print $12, $13 }'; }
# The server's read and write system calls so far (syscr, syscw: file reads and writes, not
# the sockets' recvmsg/sendmsg; all threads): on a machine where a system call is dear (a
# VM), their count per request is a steadier measure of a change than the request rate,
# which drifts with the machine.
server_syscalls() { awk '/^syscr:/ { r = $2 } /^syscw:/ { w = $2 } END { print r, w }' "/proc/$server_pid/io"; }

# The provider stand-in's CPU time so far (clock ticks): on this machine it shares the cores
# with the server and wrk, as a real provider would not.
provider_ticks() { sed -E 's/.*\) //' "/proc/$provider_pid/stat" | awk '{ print $12 + $13 }'; }
# The whole machine's busy and idle ticks so far (all CPUs): whether a case was bound by the
# processors (busy near 100%) or waited on something else.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat; }

failed=0
cases_json=""
# Waits (up to 40 s) for the outbound queue to be sent, so a case does not pay for the last
# one's commands; prints the seconds it took.
drain_outbound() {
  local ledger="$out/frontdesk.db.objects/ledger/acme.sqlite" started=$SECONDS
  for _ in $(seq 400); do
    [ "$(ledger_sql "$ledger" "SELECT count(*) FROM outbound WHERE status = 'pending'")" -eq 0 ] && break
    sleep 0.1
  done
  echo $((SECONDS - started))
}

# $1 = case name (and file stem), $2 = kind (call | platform), $3 = tenant of its ledger
run_case() {
  local name=$1 kind=$2 tenant=$3
  local ledger="$out/frontdesk.db.objects/ledger/$tenant.sqlite"
  # The warm-up's callers come from another range than the run's.
  node bench/native-load-requests.mjs requests "$out" "$kind" 600 "$host_port" "$out/$name.warmup.req" 7000000
  run_wrk "$out/$name.warmup.req" 8 1 "$out/$name.warmup.json" "$out/$name.warmup.ids"
  node bench/native-load-requests.mjs requests "$out" "$kind" "$count" "$host_port" "$out/$name.req" 0
  local before
  before=$(ledger_sql "$ledger" "SELECT COALESCE(MAX(seq), 0) FROM events")
  local user_before system_before user_after system_after reads_before writes_before reads_after writes_after
  read -r user_before system_before < <(server_ticks)
  read -r reads_before writes_before < <(server_syscalls)
  local provider_before provider_after busy_before idle_before busy_after idle_after
  provider_before=$(provider_ticks)
  read -r busy_before idle_before < <(machine_ticks)
  run_wrk "$out/$name.req" "$CONNECTIONS" "$DURATION" "$out/$name.wrk.json" "$out/$name.ids"
  read -r user_after system_after < <(server_ticks)
  read -r reads_after writes_after < <(server_syscalls)
  provider_after=$(provider_ticks)
  read -r busy_after idle_after < <(machine_ticks)
  sleep 1 # what was in flight when wrk stopped finishes on the server
  ledger_sql "$ledger" "SELECT event_id FROM events WHERE seq > $before" | sort >"$out/$name.stored"
  sort "$out/$name.ids" >"$out/$name.ids.sorted"
  local stored ok repeated missing extra verified=true
  stored=$(wc -l <"$out/$name.stored")
  ok=$(wc -l <"$out/$name.ids.sorted")
  repeated=$(uniq -d "$out/$name.ids.sorted" | wc -l)
  missing=$(comm -23 "$out/$name.ids.sorted" "$out/$name.stored" | wc -l)
  # Stored but never answered 200: cut off when wrk stopped (at most one per connection).
  extra=$((stored - ok + missing))
  if [ "$repeated" -ne 0 ] || [ "$missing" -ne 0 ] || [ "$extra" -lt 0 ] || [ "$extra" -gt "$CONNECTIONS" ]; then
    verified=false
  fi
  local non2xx dups exhausted
  non2xx=$(sed -E 's/.*"non2xx":([0-9]+).*/\1/' "$out/$name.wrk.json")
  dups=$(sed -E 's/.*"duplicates":([0-9]+).*/\1/' "$out/$name.wrk.json")
  exhausted=$(sed -E 's/.*"exhausted_threads":([0-9]+).*/\1/' "$out/$name.wrk.json")
  if [ "$verified" != true ] || [ "$non2xx" -ne 0 ] || [ "$dups" -ne 0 ] || [ "$exhausted" -ne 0 ]; then
    echo "native-load: $name failed its checks: verified=$verified non2xx=$non2xx duplicates=$dups exhausted=$exhausted" >&2
    failed=1
  fi
  printf '{"stored":%d,"answered_200":%d,"repeated_ids":%d,"missing":%d,"stored_unanswered":%d,"verified":%s}\n' \
    "$stored" "$ok" "$repeated" "$missing" "$extra" "$verified" >"$out/$name.check.json"
  local drained_s
  drained_s=$(drain_outbound)
  cases_json+="${cases_json:+,}\"$name\":{\"kind\":\"$kind\",\"tenant\":\"$tenant\",\"outbound_drain_s\":$drained_s,"
  local tick_ms=$((1000 / $(getconf CLK_TCK)))
  cases_json+="\"server_cpu_ms\":$(((user_after - user_before + system_after - system_before) * tick_ms)),"
  cases_json+="\"server_system_cpu_ms\":$(((system_after - system_before) * tick_ms)),"
  cases_json+="\"provider_cpu_ms\":$(((provider_after - provider_before) * tick_ms)),"
  cases_json+="\"machine_busy_pct\":$(((busy_after - busy_before) * 100 / (busy_after - busy_before + idle_after - idle_before + 1))),"
  cases_json+="\"cores\":$(nproc),"
  cases_json+="\"server_read_syscalls\":$((reads_after - reads_before)),\"server_write_syscalls\":$((writes_after - writes_before))}"
}

run_case new_call call acme
run_case ingress_only platform default

outbound=$(ledger_sql "$out/frontdesk.db.objects/ledger/acme.sqlite" \
  "SELECT json_group_object(status, n) FROM (SELECT status, count(*) AS n FROM outbound GROUP BY status)")
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
kill -TERM "$provider_pid"
wait "$provider_pid" || true
provider_pid=""

floor_after=$(floor)
load_after=$(cut -d' ' -f1 /proc/loadavg)

printf '{"connections":%d,"wrk_threads":%d,"duration_s":%d,"requests_prepared":%d,"filesystem":"%s","server":"%s","allocator":"%s","loadavg":{"start":%s,"end":%s},"floor":{"before":%s,"after":%s},"outbound_at_stop":%s,"provider_received":%d,"cases":{%s}}\n' \
  "$CONNECTIONS" "$THREADS" "$DURATION" "$count" "$fstype" "$server_binary" "$allocator" "$load_before" "$load_after" "$floor_before" "$floor_after" \
  "${outbound:-{\}}" "$(cat "$out/provider.count")" "$cases_json" >"$out/run.json"
node bench/native-load-requests.mjs report "$out" build/bench/native-load.json
exit "$failed"
