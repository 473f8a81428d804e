-- wrk script: POST the nested read query of issue 3 (50 towns, 10 groups each).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ networks { nodes { cities(first: 50) { nodes { name sponsorGroups(first: 10) { totalCount nodes { name memberCount city { cbsCode } } } } } } } }"}'
