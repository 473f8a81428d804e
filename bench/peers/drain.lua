-- wrk wrapper for counting haven's SQL statements per request (used by run.sh): loads the
-- shape script named in PEER_SCRIPT, sends its request for PEER_SECS seconds, then lets the
-- requests in flight finish and stops.
--
-- Why: a plain wrk run drops the requests in flight when its time is up, haven then stops
-- them halfway, and their statements would be counted without the requests. Here each thread
-- counts what it sent and what came back; past the cut-off it sends nothing more, and once
-- every response is in, it stops itself and leaves a file named PEER_DONE.<thread> behind.
-- wrk's main thread still sleeps until -d is over, so run.sh interrupts it (SIGINT) once
-- every thread has left its file; -d, well beyond PEER_SECS, is only the upper bound.
dofile(os.getenv("PEER_SCRIPT"))

local secs = tonumber(os.getenv("PEER_SECS") or "5")
local done = os.getenv("PEER_DONE")
local started, sent, received, req = nil, 0, 0, nil

local function past_cutoff()
  started = started or os.time()
  return os.time() - started >= secs
end

function delay()
  if past_cutoff() then
    return 3600 * 1000 -- idle until wrk stops
  end
  return 0
end

function request()
  sent = sent + 1
  req = req or wrk.format()
  return req
end

function response(status, headers, body)
  received = received + 1
  if received >= sent and past_cutoff() then
    wrk.thread:stop()
    if done then
      local f = io.open(done .. "." .. tostring(wrk.thread):gsub("%W", ""), "w")
      if f then f:close() end
    end
  end
end
