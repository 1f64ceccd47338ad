-- Ends a listing at once at its buy-now price, sold to the calling dealer. A retry of the same
-- request id returns the first answer.
-- KEYS: 1 state, 2 events, 3 answers, 4 aliases
-- ARGV: 1 listing id, 2 dealer, 3 request id, 4 now (ms), 5 proof of sale id,
--       6 answer key: this dealer's request id as the caller builds it (CompositeKey)
-- Returns {'bought', proof} | {'repeat', proof} | {'not_found'} | {'own_listing'} | {'closed'}
--   | {'no_buy_now'} | {'price_reached', price}
local state, events, answers, aliases = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local listing, dealer, now = ARGV[1], ARGV[2], tonumber(ARGV[4])
local answer_key = ARGV[6]
local stored = redis.call('HGET', answers, answer_key)
if stored then return {'repeat', stored} end

local s = redis.call('HMGET', state, 'status', 'ends', 'grounding', 'price', 'buynow', 'seq', 'count')
if not s[1] then return {'not_found'} end
if s[3] == dealer then return {'own_listing'} end
if s[1] ~= 'live' or now >= tonumber(s[2]) then return {'closed'} end
local buy_now = tonumber(s[5])
if buy_now == 0 then return {'no_buy_now'} end
if tonumber(s[4]) >= buy_now then return {'price_reached', s[4]} end

local alias = redis.call('HGET', aliases, dealer)
if not alias then
  alias = redis.call('HINCRBY', state, 'aliases', 1)
  redis.call('HSET', aliases, dealer, alias)
end
local seq = tonumber(s[6]) + 1
redis.call('HSET', state, 'status', 'sold', 'price', buy_now, 'leader', dealer, 'lalias', alias,
  'count', tonumber(s[7]) + 1, 'seq', seq, 'closed_at', now, 'reason', 'buy now', 'sale', buy_now,
  'buyer', dealer, 'proof', ARGV[5])
redis.call('XADD', events, seq .. '-0', 't', 'close', 's', 'sold', 'p', buy_now, 'w', dealer, 'a', alias,
  'r', 'buy now', 'at', now)
redis.call('PUBLISH', 'auction:events', listing .. ' ' .. seq .. ' ' .. seq)
redis.call('HSET', answers, answer_key, ARGV[5])
return {'bought', ARGV[5]}
