-- A token bucket, taken from atomically by every replica (haven's src/rate/mod.rs has the same
-- arithmetic for the in-process fallback).
-- KEYS[1]: the bucket. ARGV[1]: capacity (requests per minute), ARGV[2]: how long the key
-- outlives its last use (ms), ARGV[3]: how many tokens to take at most. Returns {n, 0} when n
-- tokens (at least one) were taken, {0, ms} when the caller must wait ms for the next one. The
-- clock is Redis's own, one for every replica.
local capacity = tonumber(ARGV[1])
local per_ms = capacity / 60000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local kept = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(kept[1]) or capacity
local at = tonumber(kept[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local taken, wait = 0, 0
if tokens >= 1 then
  taken = math.min(tonumber(ARGV[3]), math.floor(tokens))
  tokens = tokens - taken
else
  wait = math.ceil((1 - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return {taken, wait}
