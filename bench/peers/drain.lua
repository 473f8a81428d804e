-- wrk wrapper for counting haven's SQL statements per request (used by run.sh): loads the
-- shape script named in PEER_SCRIPT, sends its request for PEER_SECS seconds (counted in the
-- whole seconds of os.time, so up to one more), then lets the requests in flight finish and
-- stops.
--
-- Why: a plain wrk run drops the requests in flight when its time is up, haven then stops
-- them halfway, and their statements would be counted without the requests.
--
-- How: wrk asks delay() before it writes each request on a connection. Past the cut-off the
-- answer is an hour, so that connection goes quiet after its last response. Once all of this
-- thread's PEER_CONNS connections are quiet, nothing is in flight: the thread stops and leaves
-- a file named PEER_DONE.<thread>. wrk's main thread still sleeps until -d is over, so run.sh
-- interrupts it (SIGINT) once every thread has left its file; -d is only the upper bound.
dofile(os.getenv("PEER_SCRIPT"))

local secs = tonumber(os.getenv("PEER_SECS") or "5")
local conns = tonumber(os.getenv("PEER_CONNS") or "1")
local done = os.getenv("PEER_DONE")
local started, quiet = nil, 0

function delay()
  started = started or os.time()
  if os.time() - started <= secs then -- whole seconds: at least PEER_SECS, at most one more
    return 0
  end
  quiet = quiet + 1
  if quiet >= conns then
    wrk.thread:stop()
    if done then
      local f = io.open(done .. "." .. tostring(wrk.thread):gsub("%W", ""), "w")
      if f then f:close() end
    end
  end
  return 3600 * 1000
end
