#!/usr/bin/env bash
# The public nested read (bench/nested.lua) with the cross-request cache on and off, on one
# database, alternating rounds so that both see the same machine noise.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench bench/cache.sh [rounds] [seconds]
#
# Bounded: rounds × 2 wrk runs of `seconds` each (defaults 3 and 10), 4 connections.
set -euo pipefail
# Load from one address would hit the rate limits: benchmarks measure without them.
export HAVEN_RATE_LIMIT_ANONYMOUS=0 HAVEN_RATE_LIMIT_SIGNED_IN=0 HAVEN_RATE_LIMIT_PARTNER=0
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${1:-3}
SECS=${2:-10}
BIN=${HAVEN_BIN:-./target/release/haven}
export HAVEN_LOG=warn HAVEN_SEED_DEMO=false
export HAVEN_JWT_SECRET=${HAVEN_JWT_SECRET:-bench-secret-bench-secret-bench-secret}
HAVEN_CACHE=on HAVEN_LISTEN=127.0.0.1:18101 "$BIN" serve >/tmp/haven-cache-on.log 2>&1 &
ON=$!
HAVEN_CACHE=off HAVEN_LISTEN=127.0.0.1:18102 "$BIN" serve >/tmp/haven-cache-off.log 2>&1 &
OFF=$!
trap 'kill $ON $OFF 2>/dev/null || true' EXIT
wait_ready 18101 18102
echo "| round | cache | requests/s | p50 | p99 |"
echo "|---|---|---:|---:|---:|"
for r in $(seq "$ROUNDS"); do
  for mode in on off; do
    port=18101; [ "$mode" = off ] && port=18102
    wrk_row "$r" "$mode" "$port" bench/nested.lua "$SECS"
  done
done

# The analytics dashboard (all networks, five years) as an administrator: the first request
# computes, the next ones are answered from the figure cache (or computed again when off).
TOKEN=$("$BIN" token --role ADMIN)
BODY='{"query":"{ analytics(filter: {from: \"2021-11-02\", to: \"2026-11-01\"}) { groupFunnel { stage reached conversion } sponsorshipFunnel { stage reached conversion } stageDurations { from to n medianDays p75Days } milestones { kind reached share medianDaysFromStart } hoursByMonth { month hours contributions volunteers } breakdown(by: PROVINCE) { key groups activeGroups sponsorships activeSponsorships householdsWelcomed volunteers hours } retention { cohort months volunteers stillActive } earlyEnds { reason count } corporate { sponsors pledgedHours deliveredHours inKindCents } } }"}'
echo
echo "| analytics, all networks × 5 years | cache | first | median of the next 9 |"
echo "|---|---|---:|---:|"
for mode in on off; do
  port=18101; [ "$mode" = off ] && port=18102
  times=$(for _ in $(seq 10); do
    curl -s -m 30 -o /dev/null -w '%{time_total}\n' -H "authorization: Bearer $TOKEN" \
      -H 'content-type: application/json' --data "$BODY" "http://127.0.0.1:$port/graphql"
  done)
  first=$(echo "$times" | head -1)
  median=$(echo "$times" | tail -n +2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '| dashboard | %s | %.1f ms | %.2f ms |\n' "$mode" "$(echo "$first * 1000" | bc)" "$(echo "$median * 1000" | bc)"
done
