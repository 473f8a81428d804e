#!/usr/bin/env bash
# Peer benchmark: haven against PostGraphile 4 on the same PostgreSQL database, three read
# shapes (wide, small, dashboard), alternating wrk rounds. See bench/peers/README.md.
#
#   bench/peers/run.sh [rounds] [secs] [conns] [haven_binary]
#
# Defaults: 3 rounds of 10 s with 16 connections; the binary is HAVEN_BIN or, failing that,
# target/release/haven of this repository. Other settings, from the environment:
#   PEER_DATABASE_URL  postgres://postgres@127.0.0.1:5432/haven_bench (created and seeded
#                      with `haven seed --bench --scale 1` when missing)
#   HAVEN_PORT / PG_PORT   18081 / 18090, both on 127.0.0.1
#   SHAPES             "wide small dashboard"
#   WARMUP             5: seconds of unreported load on each server before a shape's rounds
#   STATS_SECS         5: seconds of load for the statements-per-request runs (at 1 and 16)
#   HAVEN_JWT_SECRET   a random one if unset; the admin token is made with it
#   HAVEN_CACHE        off: the peers cache nothing across requests
#   ALLOW_MISMATCH     1 to benchmark even when check.py finds the answers differ
# Needs: psql, wrk, node + npm (npm ci is run here if node_modules is missing), python3, curl.
set -euo pipefail
# Load from one address would hit the rate limits: benchmarks measure without them.
export HAVEN_RATE_LIMIT_ANONYMOUS=0 HAVEN_RATE_LIMIT_SIGNED_IN=0 HAVEN_RATE_LIMIT_PARTNER=0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=${1:-3} secs=${2:-10} conns=${3:-16}
bin=${4:-${HAVEN_BIN:-$repo/target/release/haven}}
db_url=${PEER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/haven_bench}
haven_port=${HAVEN_PORT:-18081} pg_port=${PG_PORT:-18090}
shapes=${SHAPES:-wide small dashboard}
warmup=${WARMUP:-5} stats_secs=${STATS_SECS:-5}
haven_url=http://127.0.0.1:$haven_port/graphql
pg_url=http://127.0.0.1:$pg_port/graphql
threads=$((conns < 2 ? conns : 2))

for n in "$rounds" "$secs" "$conns" "$warmup" "$stats_secs"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "not a number: $n" >&2; exit 2; }
done
((rounds >= 1 && secs >= 1 && conns >= 1)) || { echo "rounds, secs and conns must be >= 1" >&2; exit 2; }
[[ -x $bin ]] || { echo "no haven binary at $bin (build it, or pass its path)" >&2; exit 2; }
for tool in psql wrk node npm python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done

dir=$(mktemp -d /tmp/haven-peers.XXXXXX)
haven_pid='' pg_pid='' wrk_pid=''
cleanup() {
  local p
  for p in $wrk_pid $pg_pid $haven_pid; do
    kill "$p" 2>/dev/null || true
  done
  for p in $wrk_pid $pg_pid $haven_pid; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the database ---------------------------------------------------------------------------
db_name=${db_url##*/}
admin_url=${db_url%/*}/postgres
if [[ -z $(psql "$admin_url" -Atc "select 1 from pg_database where datname = '$db_name'") ]]; then
  echo "creating database $db_name and seeding the bench set (a few minutes)"
  psql "$admin_url" -qc "CREATE DATABASE \"$db_name\""
  DATABASE_URL=$db_url "$bin" seed --bench --scale 1 >"$dir/seed.log" 2>&1 ||
    { tail -20 "$dir/seed.log" >&2; exit 1; }
elif ! [[ $(psql "$db_url" -Atc "select count(*) > 0 from membership" 2>/dev/null) == t ]]; then
  echo "database $db_name exists but holds no memberships: seeding the bench set"
  DATABASE_URL=$db_url "$bin" seed --bench --scale 1 >"$dir/seed.log" 2>&1 || {
    tail -20 "$dir/seed.log" >&2
    echo "if a seed was interrupted, drop it: psql $admin_url -c 'DROP DATABASE \"$db_name\"'" >&2
    exit 1
  }
fi

# --- PostGraphile's packages ----------------------------------------------------------------
if [[ ! -x $here/node_modules/.bin/postgraphile ]]; then
  echo "installing PostGraphile (npm ci in $here)"
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
pg_version=$(node "$here/node_modules/postgraphile/cli.js" --version)

# --- the servers ----------------------------------------------------------------------------
for port in "$haven_port" "$pg_port"; do
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
    echo "something already listens on 127.0.0.1:$port; stop it or set HAVEN_PORT / PG_PORT" >&2
    exit 1
  fi
done
export HAVEN_JWT_SECRET=${HAVEN_JWT_SECRET:-peer-bench-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')}
HAVEN_TOKEN=$("$bin" token --role ADMIN --ttl 12h)
export HAVEN_TOKEN

# The peers cache nothing across requests: neither does haven here (HAVEN_CACHE=on to compare).
DATABASE_URL=$db_url HAVEN_LISTEN=127.0.0.1:$haven_port HAVEN_LOG=warn HAVEN_SEED_DEMO=false \
  HAVEN_CACHE=${HAVEN_CACHE:-off} "$bin" serve >"$dir/haven.log" 2>&1 &
haven_pid=$!
# One Node process, default pool (10 clients, as haven's default pool of 10 connections).
NODE_ENV=production node "$here/node_modules/postgraphile/cli.js" \
  -c "$db_url" -s public --host 127.0.0.1 --port "$pg_port" --disable-query-log \
  >"$dir/postgraphile.log" 2>&1 &
pg_pid=$!

wait_ready() { # name pid log curl-arguments...
  local name=$1 pid=$2 log=$3
  shift 3
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    if curl -fs -o /dev/null --max-time 2 "$@"; then return 0; fi
    sleep 0.2
  done
  echo "$name did not start; its log:" >&2
  tail -20 "$log" >&2
  exit 1
}
wait_ready haven "$haven_pid" "$dir/haven.log" "http://127.0.0.1:$haven_port/readyz"
wait_ready PostGraphile "$pg_pid" "$dir/postgraphile.log" -H 'Content-Type: application/json' \
  --data '{"query":"{ __typename }"}' "$pg_url"
echo "haven        $bin (pid $haven_pid), $haven_url, pool ${HAVEN_DB_MAX_CONNECTIONS:-10} connections"
echo "PostGraphile $pg_version (pid $pg_pid), $pg_url, one Node process, pool 10 (default)"
echo "database     $db_url"
echo "wrk          -t$threads -c$conns -d${secs}s --timeout 60s --latency; $rounds round(s) per shape"
echo

# --- equivalence ----------------------------------------------------------------------------
echo "== equivalence (check.py)"
# shellcheck disable=SC2086
if ! HAVEN_URL=$haven_url PG_URL=$pg_url python3 "$here/check.py" $shapes; then
  [[ ${ALLOW_MISMATCH:-0} == 1 ]] || { echo "not equivalent: no benchmark (ALLOW_MISMATCH=1 runs it anyway)" >&2; exit 1; }
fi
echo

# --- helpers --------------------------------------------------------------------------------
# CPU ticks a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Waits (at most 30 s) until neither server uses more than ~5% of a core: PostGraphile keeps
# working on requests whose client went away when a wrk run ended, and that must not fall on
# the next round.
quiesce() {
  local a b c d
  for _ in $(seq 1 60); do
    a=$(ticks "$haven_pid") b=$(ticks "$pg_pid")
    sleep 0.5
    c=$(ticks "$haven_pid") d=$(ticks "$pg_pid")
    ((c - a <= 2 && d - b <= 2)) && return 0
  done
  return 0
}
# Milliseconds of a wrk latency such as 512.00us, 3.30ms, 1.21s or 1.02m.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0;
    else if (v ~ /m$/) printf "%.0f", v * 60000; else if (v ~ /s$/) printf "%.1f", v * 1000;
    else print "nan" }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
  if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Sum of a counter over all its series in haven's /metrics.
metric() {
  curl -fs --max-time 10 "http://127.0.0.1:$haven_port/metrics" |
    awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s += $2} END {printf "%.0f\n", s}'
}

declare -A rps p50 p99
# One wrk round: side shape round
round() {
  local side=$1 shape=$2 r=$3 url script out n kb
  if [[ $side == haven ]]; then url=$haven_url script=$here/haven_$shape.lua
  else url=$pg_url script=$here/pg_$shape.lua; fi
  quiesce
  out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 60s --latency -s "$script" "$url")
  local r_s l50 l99 non2xx errs
  r_s=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  l50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  l99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  errs=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  # Bytes read per request: a full answer is the size check.py printed plus headers.
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  kb=$(awk -v n="$n" '/requests in/ {v = $5; m = 1;
      if (v ~ /KB/) m = 1024; else if (v ~ /MB/) m = 1048576; else if (v ~ /GB/) m = 1073741824;
      if (n > 0) printf "%.1f", v * m / n / 1024; else print "-"}' <<<"$out")
  rps[$side.$shape]+=" $r_s" p50[$side.$shape]+=" $l50" p99[$side.$shape]+=" $l99"
  printf '%-9s round %d  %-12s %9s req/s  p50 %9s ms  p99 %9s ms  %7s KB/req  non-2xx %s  socket errors %s\n' \
    "$shape" "$r" "$side" "$r_s" "$l50" "$l99" "$kb" "${non2xx:-0}" "${errs:-0}"
}

# --- throughput rounds ----------------------------------------------------------------------
echo "== throughput: alternating rounds (the order flips every round)"
for shape in $shapes; do
  if ((warmup > 0)); then
    quiesce
    wrk -t"$threads" -c"$conns" -d"${warmup}s" --timeout 60s -s "$here/haven_$shape.lua" "$haven_url" >/dev/null
    quiesce
    wrk -t"$threads" -c"$conns" -d"${warmup}s" --timeout 60s -s "$here/pg_$shape.lua" "$pg_url" >/dev/null
  fi
  for r in $(seq 1 "$rounds"); do
    if ((r % 2)); then round haven "$shape" "$r"; round postgraphile "$shape" "$r"
    else round postgraphile "$shape" "$r"; round haven "$shape" "$r"; fi
  done
done
echo

echo "== summary: medians over $rounds round(s), $conns connections, ${secs} s each"
printf '%-10s %12s %12s %14s %12s %12s %12s %12s\n' shape 'haven req/s' 'PG req/s' 'haven / PG' \
  'haven p50' 'PG p50' 'haven p99' 'PG p99'
for shape in $shapes; do
  # shellcheck disable=SC2086
  {
    h=$(median ${rps[haven.$shape]}) p=$(median ${rps[postgraphile.$shape]})
    h50=$(median ${p50[haven.$shape]}) g50=$(median ${p50[postgraphile.$shape]})
    h99=$(median ${p99[haven.$shape]}) g99=$(median ${p99[postgraphile.$shape]})
  }
  ratio=$(awk -v h="$h" -v p="$p" 'BEGIN {if (p > 0) printf "%.2f", h / p; else print "-"}')
  printf '%-10s %12s %12s %14s %9s ms %9s ms %9s ms %9s ms\n' "$shape" "$h" "$p" "$ratio" \
    "$h50" "$g50" "$h99" "$g99"
done
echo

# --- SQL statements per request on haven ----------------------------------------------------
echo "== haven: SQL statements per request (/metrics), ${stats_secs} s of load, in-flight requests drained"
for shape in $shapes; do
  for c in 1 16; do
    t=$((c < 2 ? c : 2))
    quiesce
    s0=$(metric haven_sql_statements_total) q0=$(metric haven_graphql_requests_total)
    rm -f "$dir"/done.*
    PEER_SCRIPT=$here/haven_$shape.lua PEER_SECS=$stats_secs PEER_CONNS=$((c / t)) PEER_DONE=$dir/done \
      wrk -t"$t" -c"$c" -d"$((stats_secs + 120))s" --timeout 60s -s "$here/drain.lua" "$haven_url" \
      >"$dir/drain.out" 2>&1 &
    wrk_pid=$!
    for _ in $(seq 1 $(((stats_secs + 125) * 5))); do
      kill -0 "$wrk_pid" 2>/dev/null || break
      (($(find "$dir" -maxdepth 1 -name 'done.*' | wc -l) >= t)) && break
      sleep 0.2
    done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" || true
    wrk_pid=''
    sent=$(awk '/requests in/ {print $1}' "$dir/drain.out")
    s1=$(metric haven_sql_statements_total) q1=$(metric haven_graphql_requests_total)
    printf '%-9s %2d client(s): %7d statements / %5d requests = %6s per request (wrk counted %s)\n' \
      "$shape" "$c" $((s1 - s0)) $((q1 - q0)) \
      "$(awk -v s=$((s1 - s0)) -v q=$((q1 - q0)) 'BEGIN {if (q > 0) printf "%.2f", s / q; else print "-"}')" \
      "${sent:-?}"
  done
done
echo

# --- memory ---------------------------------------------------------------------------------
echo "== resident memory"
for side in haven postgraphile; do
  pid=$([[ $side == haven ]] && echo "$haven_pid" || echo "$pg_pid")
  printf '%-12s peak (VmHWM) %s, now (VmRSS) %s\n' "$side" \
    "$(awk '/^VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status")" \
    "$(awk '/^VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status")"
done
