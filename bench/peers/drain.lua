-- wrk wrapper for counting haven's SQL statements per request (used by run.sh): loads the
-- shape script named in PEER_SCRIPT and sends its request for PEER_SECS seconds, then lets
-- every connection finish the request it has in flight and stops. A plain wrk run drops the
-- requests in flight when its time is up; haven then stops them halfway, and their statements
-- would be counted without the requests. Each connection keeps one request in flight, so once
-- PEER_CONNS (this thread's connections) responses have come back after the cut-off, the
-- thread is idle and stops itself. Give wrk a -d well beyond PEER_SECS as the upper bound.
dofile(os.getenv("PEER_SCRIPT"))

local secs = tonumber(os.getenv("PEER_SECS") or "5")
local conns = tonumber(os.getenv("PEER_CONNS") or "1")
local started = nil
local finished = 0

function delay()
  started = started or os.time()
  if os.time() - started >= secs then
    return 3600 * 1000 -- past the cut-off: send nothing more on this connection
  end
  return 0
end

function response(status, headers, body)
  if started and os.time() - started >= secs then
    finished = finished + 1
    if finished >= conns then
      wrk.thread:stop()
    end
  end
end
