-- wrk script (peer benchmark, see README.md): PostGraphile, small shape (5 -> 5 -> 5), haven's
-- orderings spelled out.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ allCities(first: 5, orderBy: [NAME_ASC, ID_ASC]) { nodes { name sponsorGroupsByCityId(first: 5, orderBy: [NAME_ASC, ID_ASC]) { nodes { name membershipsByGroupId(first: 5, orderBy: [JOINED_ON_ASC, ID_ASC]) { totalCount nodes { role joinedOn volunteerByVolunteerId { displayName } } } } } } } }"}'
