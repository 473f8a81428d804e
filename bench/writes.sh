#!/usr/bin/env bash
# logContribution throughput before and after the cache's invalidation: a build from before
# the cache ($BASE, e.g. commit 2d6870d built into another target directory) against this one
# (cache on, with Redis: every write moves its tables' generations, here and in Redis), on two
# copies of one seeded PostgreSQL database, alternating rounds so that both see the same noise.
#
#   BASE=/tmp/base-target/release/haven REDIS_URL=redis://127.0.0.1:6379/ \
#     DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench bench/writes.sh [rounds] [seconds]
#
# The base build migrates $DATABASE_URL; this build gets a copy (`<db>_new`), which it migrates
# further. Bounded: rounds × 2 wrk runs of `seconds` each (defaults 3 and 15), 8 connections.
set -euo pipefail
# Load from one address would hit the rate limits: benchmarks measure without them.
export HAVEN_RATE_LIMIT_ANONYMOUS=0 HAVEN_RATE_LIMIT_SIGNED_IN=0 HAVEN_RATE_LIMIT_PARTNER=0
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECS=${2:-15}
BIN=${HAVEN_BIN:-./target/release/haven}
: "${BASE:?set BASE to the haven binary built before the cache}"
: "${DATABASE_URL:?}"
export HAVEN_LOG=warn HAVEN_SEED_DEMO=false
export HAVEN_JWT_SECRET=${HAVEN_JWT_SECRET:-bench-secret-bench-secret-bench-secret}
DB=${DATABASE_URL##*/}
SERVER=${DATABASE_URL%/*}
psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS ${DB}_new" -c "CREATE DATABASE ${DB}_new TEMPLATE $DB"
HAVEN_LISTEN=127.0.0.1:18201 "$BASE" serve >/tmp/haven-writes-base.log 2>&1 &
OLD=$!
DATABASE_URL="$SERVER/${DB}_new" HAVEN_CACHE=on HAVEN_LISTEN=127.0.0.1:18202 "$BIN" serve \
  >/tmp/haven-writes-new.log 2>&1 &
NEW=$!
trap 'kill $OLD $NEW 2>/dev/null || true' EXIT
for port in 18201 18202; do
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
done
psql "$DATABASE_URL" -At -F ' ' -c "SELECT DISTINCT ON (volunteer_id) group_id, volunteer_id
  FROM membership WHERE left_on IS NULL AND joined_on <= '2024-01-01' ORDER BY volunteer_id LIMIT 2000" \
  >/tmp/pairs.txt
export HAVEN_PAIRS=/tmp/pairs.txt
HAVEN_TOKEN=$("$BIN" token --role ADMIN)
export HAVEN_TOKEN
echo "| round | build | requests/s | p50 | p99 | not logged |"
echo "|---|---|---:|---:|---:|---:|"
for r in $(seq "$ROUNDS"); do
  for build in before after; do
    port=18201; [ "$build" = after ] && port=18202
    out=$(wrk -t2 -c8 -d"${SECS}s" --latency -s bench/log_contribution.lua "http://127.0.0.1:$port/graphql")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    bad=$(echo "$out" | awk -F': ' '/not a logged contribution/ {print $2}')
    echo "| $r | $build | $rps | $p50 | $p99 | ${bad:-0} |"
  done
done
