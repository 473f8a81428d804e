-- wrk script: the wide nested read of issue 10 (50 towns → 20 groups → 10 memberships with
-- role, joinedOn and the volunteer's name), as an administrator: the token is in HAVEN_TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("HAVEN_TOKEN") or "")
wrk.body = '{"query":"{ cities(first: 50) { nodes { name sponsorGroups(first: 20) { nodes { name memberships(first: 10) { totalCount nodes { role joinedOn volunteer { displayName } } } } } } } }"}'
