-- wrk script: the smallest GraphQL request, `{ __typename }`: HTTP, the request guards and the
-- engine's fixed cost, no database.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ __typename }"}'
