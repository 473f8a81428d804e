#!/usr/bin/env bash
# Cached public reads (bench/nested.lua) through two builds side by side: $BASE (an earlier
# build, e.g. built from another commit into another target directory) and this one, both
# with the cache on and the same Redis (each under its own prefix), on one database,
# alternating rounds so that both see the same machine noise.
#
#   BASE=/tmp/base-target/release/haven REDIS_URL=redis://127.0.0.1:6379/ \
#     DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench bench/builds.sh [rounds] [seconds]
#
# Bounded: rounds × 2 wrk runs of `seconds` each (defaults 5 and 10), 4 connections.
set -euo pipefail
export HAVEN_RATE_LIMIT_ANONYMOUS=0 HAVEN_RATE_LIMIT_SIGNED_IN=0 HAVEN_RATE_LIMIT_PARTNER=0
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${1:-5}
SECS=${2:-10}
BIN=${HAVEN_BIN:-./target/release/haven}
: "${BASE:?set BASE to the earlier haven binary}"
: "${DATABASE_URL:?}" "${REDIS_URL:?}"
export HAVEN_LOG=warn HAVEN_SEED_DEMO=false HAVEN_CACHE=on
HAVEN_REDIS_PREFIX=bench-base: HAVEN_LISTEN=127.0.0.1:18301 "$BASE" serve >/tmp/haven-builds-base.log 2>&1 &
OLD=$!
HAVEN_REDIS_PREFIX=bench-new: HAVEN_LISTEN=127.0.0.1:18302 "$BIN" serve >/tmp/haven-builds-new.log 2>&1 &
NEW=$!
trap 'kill $OLD $NEW 2>/dev/null || true' EXIT
wait_ready 18301 18302
echo "| round | build | requests/s | p50 | p99 |"
echo "|---|---|---:|---:|---:|"
for r in $(seq "$ROUNDS"); do
  for build in base new; do
    port=18301; [ "$build" = new ] && port=18302
    wrk_row "$r" "$build" "$port" bench/nested.lua "$SECS"
  done
done
