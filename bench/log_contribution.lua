-- wrk script: POST logContribution for volunteers picked at random from HAVEN_PAIRS (a file of
-- "group-id volunteer-id" lines, current memberships), 15 minutes on a random day of 2024-2025,
-- with the token in HAVEN_TOKEN (an administrator's, so one token serves every group).
-- Prints how many answers were not a logged contribution.
local token = os.getenv("HAVEN_TOKEN")
local pairs_file = os.getenv("HAVEN_PAIRS")
local query = "mutation($g: ID!, $v: ID!, $d: NaiveDate!) { logContribution(input: "
  .. "{ groupId: $g, volunteerId: $v, date: $d, kind: VISIT, hours: 0.25 }) { id } }"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  members = {}
  for line in io.lines(pairs_file) do
    local g, v = line:match("(%S+)%s+(%S+)")
    if g then table.insert(members, { g, v }) end
  end
  math.randomseed(os.time() + #threads)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  local m = members[math.random(#members)]
  local day = os.time({ year = 2024, month = 1, day = 1, hour = 12 }) + math.random(0, 729) * 86400
  local body = string.format('{"query":"%s","variables":{"g":"%s","v":"%s","d":"%s"}}',
    query, m[1], m[2], os.date("!%Y-%m-%d", day))
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"logContribution":{"id"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  io.write(string.format("answers that were not a logged contribution: %d\n", e))
end
