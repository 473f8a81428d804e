-- wrk script (peer benchmark, see README.md): PostGraphile, wide shape, haven's orderings spelled
-- out (towns and groups by name then id, memberships by joining day then id).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ allCities(first: 50, orderBy: [NAME_ASC, ID_ASC]) { nodes { name sponsorGroupsByCityId(first: 20, orderBy: [NAME_ASC, ID_ASC]) { nodes { name membershipsByGroupId(first: 10, orderBy: [JOINED_ON_ASC, ID_ASC]) { totalCount nodes { role joinedOn volunteerByVolunteerId { displayName } } } } } } } }"}'
