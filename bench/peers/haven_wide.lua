-- wrk script (peer benchmark, see README.md): haven, wide shape: 50 towns -> 20 groups -> 10
-- memberships, as an administrator (token in HAVEN_TOKEN).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("HAVEN_TOKEN") or "")
wrk.body = '{"query":"{ cities(first: 50) { nodes { name sponsorGroups(first: 20) { nodes { name memberships(first: 10) { totalCount nodes { role joinedOn volunteer { displayName } } } } } } } }"}'
