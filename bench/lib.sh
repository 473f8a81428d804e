# Shared by the bench scripts: waiting for servers, and one wrk run as a table row.

# Waits (at most 10 s each) until every port given answers /readyz.
wait_ready() {
  for port in "$@"; do
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  done
}

# Prints `| label | name | requests/s | p50 | p99 |` for `seconds` of `script` (4 connections)
# against the server on `port`.
wrk_row() {
  local label=$1 name=$2 port=$3 script=$4 secs=$5 out rps p50 p99
  out=$(wrk -t1 -c4 -d"${secs}s" --latency -s "$script" "http://127.0.0.1:$port/graphql")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  echo "| $label | $name | $rps | $p50 | $p99 |"
}
