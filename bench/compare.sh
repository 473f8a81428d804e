#!/usr/bin/env bash
# Same-run comparison of two haven binaries on one wrk script, in alternating rounds, so that
# the noise of a shared machine falls on both alike.
#   bench/compare.sh OLD_BINARY NEW_BINARY bench/typename.lua [rounds] [seconds] [connections]
# Each binary serves its own fresh SQLite demo database on 127.0.0.1 (ports 18081 and 18082),
# or both the database in HAVEN_BENCH_DATABASE_URL (a PostgreSQL bench set), logging at HAVEN_LOG
# (default: info, the shipped default). Other HAVEN_* variables (a JWT secret) pass through.
# At the end it prints each server's peak resident memory and what it holds 5 s later.
set -euo pipefail
# Load from one address would hit the rate limits: benchmarks measure without them.
export HAVEN_RATE_LIMIT_ANONYMOUS=0 HAVEN_RATE_LIMIT_SIGNED_IN=0 HAVEN_RATE_LIMIT_PARTNER=0
old=$1 new=$2 script=$3 rounds=${4:-3} secs=${5:-10} conns=${6:-16}
dir=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
start() { # binary port name
  HAVEN_LISTEN=127.0.0.1:$2 DATABASE_URL="${HAVEN_BENCH_DATABASE_URL:-sqlite://$dir/$3.db?mode=rwc}" HAVEN_LOG=${HAVEN_LOG:-info} \
    "$1" serve >"$dir/$3.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$2/readyz" >/dev/null && return; sleep 0.2; done
  echo "$3 did not start" >&2; exit 1
}
start "$old" 18081 old
start "$new" 18082 new
for r in $(seq 1 "$rounds"); do
  for side in old new; do
    port=$([ $side = old ] && echo 18081 || echo 18082)
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --timeout 60s --latency -s "$script" "http://127.0.0.1:$port/graphql")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    printf 'round %s %-3s %10s req/s  p50 %8s  p99 %8s  non-2xx %s\n' "$r" "$side" "$rps" "$p50" "$p99" "${non2xx:-0}"
  done
done
sleep 5
for i in 0 1; do
  side=$([ $i = 0 ] && echo old || echo new)
  printf 'RSS %-3s peak %s, 5 s after the last round %s\n' "$side" \
    "$(awk '/VmHWM/ {print $2, $3}' "/proc/${pids[$i]}/status")" \
    "$(awk '/VmRSS/ {print $2, $3}' "/proc/${pids[$i]}/status")"
done
