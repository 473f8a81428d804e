-- wrk script (peer benchmark, see README.md): haven, small shape: 5 towns -> 5 groups -> 5
-- memberships, as an administrator (token in HAVEN_TOKEN).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("HAVEN_TOKEN") or "")
wrk.body = '{"query":"{ cities(first: 5) { nodes { name sponsorGroups(first: 5) { nodes { name memberships(first: 5) { totalCount nodes { role joinedOn volunteer { displayName } } } } } } } }"}'
