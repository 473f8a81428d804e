#!/usr/bin/env bash
# Times partner statistics' releases, uncached (`HAVEN_CACHE=off`), as an administrator, in both
# suppression modes on one seeded PostgreSQL database (`seed --bench --scale 1`). A year's
# release is linked to the year before's, so asking for a year works out the chain from the
# first sponsorship's year (2018 on the bench set): 2018 alone, 2019 after 2018, 2025 after all.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench bench/releases.sh [rounds] [years…]
#
# Bounded: rounds (default 1) × modes × years calls, each with a 900 s timeout. Prints
# `| mode | year | seconds |` rows; modes alternate within a round, so both see the same noise.
set -euo pipefail
export HAVEN_RATE_LIMIT_ANONYMOUS=0 HAVEN_RATE_LIMIT_SIGNED_IN=0 HAVEN_RATE_LIMIT_PARTNER=0
cd "$(dirname "$0")/.."
source bench/lib.sh
ROUNDS=${1:-1}
shift || true
YEARS=${*:-2018 2019 2025}
BIN=${HAVEN_BIN:-./target/release/haven}
PORT=${PORT:-18095}
export HAVEN_JWT_SECRET=${HAVEN_JWT_SECRET:-bench-secret-bench-secret-bench-secret}
export HAVEN_LOG=${HAVEN_LOG:-warn} HAVEN_SEED_DEMO=false HAVEN_CACHE=off HAVEN_REQUEST_TIMEOUT_MS=900000
TOKEN=$("$BIN" token --role ADMIN)
for _ in $(seq "$ROUNDS"); do
  for mode in audited replay-safe; do
    HAVEN_PARTNER_SUPPRESSION=$mode HAVEN_LISTEN=127.0.0.1:$PORT "$BIN" serve >/dev/null 2>&1 &
    pid=$!
    wait_ready "$PORT"
    for year in $YEARS; do
      query="{\"query\":\"{ partnerStats(year: $year, by: NETWORK) { total { activeSponsorships { value } } } }\"}"
      t=$(curl -s --max-time 900 -o /dev/null -w '%{time_total}' -H "authorization: Bearer $TOKEN" \
        -H 'content-type: application/json' -d "$query" "http://127.0.0.1:$PORT/graphql")
      echo "| $mode | $year | $t |"
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
