#!/usr/bin/env bash
# Times `analytics` on a seeded PostgreSQL database (`seed --bench --scale 1`): one network over
# one year and all networks over five years, each cold (PostgreSQL restarted, the OS page cache
# dropped, haven started afresh: needs root) and warm (the median of the requests after), with
# the SQL statements each request ran. Then each field on its own, warm, to see where time goes.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench bench/analytics.sh [warm-rounds]
#
# Bounded: warm-rounds requests per scenario (default 15), each with a 30 s timeout.
set -euo pipefail
# Load from one address would hit the rate limits: benchmarks measure without them.
export HAVEN_RATE_LIMIT_ANONYMOUS=0 HAVEN_RATE_LIMIT_SIGNED_IN=0 HAVEN_RATE_LIMIT_PARTNER=0
cd "$(dirname "$0")/.."
ROUNDS=${1:-15}
BIN=${HAVEN_BIN:-./target/release/haven}
PORT=${PORT:-18090}
export HAVEN_JWT_SECRET=${HAVEN_JWT_SECRET:-bench-secret-bench-secret-bench-secret}
export HAVEN_LISTEN=127.0.0.1:$PORT HAVEN_DEBUG_STATS=1 HAVEN_LOG=warn HAVEN_SEED_DEMO=false
TOKEN=$("$BIN" token --role ADMIN)
URL=http://127.0.0.1:$PORT/graphql
TO=2026-11-01 # the bench set's "today"
FIELDS='groupFunnel { stage reached conversion } sponsorshipFunnel { stage reached conversion }
  stageDurations { from to n medianDays p75Days } milestones { kind reached share medianDaysFromStart }
  hoursByMonth { month hours contributions volunteers }
  breakdown(by: PROVINCE) { key groups activeGroups sponsorships activeSponsorships householdsWelcomed volunteers hours }
  retention { cohort months volunteers stillActive } earlyEnds { reason count }
  corporate { sponsors pledgedHours deliveredHours inKindCents }'
PID=

start_haven() {
  "$BIN" serve >/tmp/haven-bench.log 2>&1 &
  PID=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && return
    sleep 0.1
  done
  echo "haven did not start" >&2
  exit 1
}
stop_haven() { [ -n "$PID" ] && kill "$PID" && wait "$PID" 2>/dev/null || true; PID=; }
trap stop_haven EXIT

# ask FIELDS FILTER -> "seconds statements"
ask() {
  local body
  body=$(jq -nc --arg q "query(\$f: AnalyticsFilterInput) { analytics(filter: \$f) { $1 } }" \
    --argjson f "$2" '{query: $q, variables: {f: $f}}')
  curl -s -m 30 -o /tmp/haven-bench.json -w '%{time_total}' -H "authorization: Bearer $TOKEN" \
    -H 'content-type: application/json' --data "$body" "$URL" >/tmp/haven-bench.time
  if jq -e '.errors' /tmp/haven-bench.json >/dev/null; then
    jq -c '.errors' /tmp/haven-bench.json >&2
    exit 1
  fi
  echo "$(cat /tmp/haven-bench.time) $(jq '.extensions.sqlStatements' /tmp/haven-bench.json)"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cold() {
  stop_haven
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main restart
  sync
  echo 3 >/proc/sys/vm/drop_caches
  start_haven
}

start_haven
NETWORK=$(curl -s -H 'content-type: application/json' \
  --data '{"query":"{ networks(first: 1) { nodes { id } } }"}' "$URL" | jq -r '.data.networks.nodes[0].id')
ONE_YEAR="{\"networkId\": \"$NETWORK\", \"from\": \"2025-11-02\", \"to\": \"$TO\"}"
FIVE_YEARS="{\"from\": \"2021-11-02\", \"to\": \"$TO\"}"

echo "| scenario | cold | warm median | warm min | statements |"
echo "|---|---:|---:|---:|---:|"
for scenario in "one network × 1 year|$ONE_YEAR" "all networks × 5 years|$FIVE_YEARS"; do
  name=${scenario%%|*}
  filter=${scenario#*|}
  cold
  read -r first statements < <(ask "$FIELDS" "$filter")
  times=$(for _ in $(seq "$ROUNDS"); do ask "$FIELDS" "$filter" | cut -d' ' -f1; done)
  printf '| %s | %.0f ms | %.0f ms | %.0f ms | %s |\n' "$name" \
    "$(echo "$first * 1000" | bc)" "$(echo "$(echo "$times" | median) * 1000" | bc)" \
    "$(echo "$(echo "$times" | sort -n | head -1) * 1000" | bc)" "$statements"
done

for scenario in "one network × 1 year|$ONE_YEAR" "all networks × 5 years|$FIVE_YEARS"; do
  name=${scenario%%|*}
  filter=${scenario#*|}
  echo
  echo "Each field alone, warm (median of $ROUNDS), $name:"
  echo "| field | warm median |"
  echo "|---|---:|"
  for field in 'groupFunnel { reached }' 'sponsorshipFunnel { reached }' 'stageDurations { n }' \
    'milestones { reached }' 'hoursByMonth { hours }' 'breakdown(by: PROVINCE) { groups }' \
    'breakdown(by: CITY) { groups }' 'retention { volunteers }' 'earlyEnds { count }' \
    'corporate { sponsors }'; do
    ask "$field" "$filter" >/dev/null
    times=$(for _ in $(seq "$ROUNDS"); do ask "$field" "$filter" | cut -d' ' -f1; done)
    printf '| `%s` | %.0f ms |\n' "$field" "$(echo "$(echo "$times" | median) * 1000" | bc)"
  done
done
