-- wrk script (peer benchmark, see README.md): haven, dashboard shape (the query of
-- bench/nested.lua), with the token in HAVEN_TOKEN like the others.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("HAVEN_TOKEN") or "")
wrk.body = '{"query":"{ networks { nodes { cities(first: 50) { nodes { name sponsorGroups(first: 10) { totalCount nodes { name memberCount city { cbsCode } } } } } } } }"}'
