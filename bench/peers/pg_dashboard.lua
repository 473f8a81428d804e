-- wrk script (peer benchmark, see README.md): PostGraphile, dashboard shape: networks (haven's
-- default page of 20) -> 50 towns -> 10 groups; memberCount is the count of memberships with
-- leftOn null (IS NULL in a PostGraphile 4 condition).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ allSponsorshipNetworks(first: 20, orderBy: [NAME_ASC, ID_ASC]) { nodes { citiesByNetworkId(first: 50, orderBy: [NAME_ASC, ID_ASC]) { nodes { name sponsorGroupsByCityId(first: 10, orderBy: [NAME_ASC, ID_ASC]) { totalCount nodes { name membershipsByGroupId(condition: {leftOn: null}) { totalCount } cityByCityId { cbsCode } } } } } } } }"}'
