-- Ends a listing at once at its buy-now price, sold to the calling dealer. A retry of the same
-- request id returns the first answer.
-- KEYS: 1 state, 2 events, 3 answers, 4 aliases
-- ARGV: 1 listing id, 2 dealer, 3 request id, 4 now (ms), 5 proof of sale id,
--       6 answer key (the caller's CompositeKey of dealer and request id), 7 the listing's changes channel (sharded, in its slot),
--       8 '1' if the listing's indexes and its VIN's claim agree with a live listing (read by the
--         caller just before: they are in other slots); a live listing whose do not is not sold
-- Returns {'bought', proof} | {'repeat', proof} | {'not_found'} | {'own_listing'} | {'closed'}
--   | {'no_buy_now'} | {'price_reached', price} | {'held'}
local state, events, answers, aliases = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local listing, dealer, now, answer_key, channel = ARGV[1], ARGV[2], tonumber(ARGV[4]), ARGV[6], ARGV[7]
local stored = redis.call('HGET', answers, answer_key)
if stored then return {'repeat', stored} end

local s = redis.call('HMGET', state, field.status, field.ends_at, field.grounding_dealer, field.price, field.buy_now_price,
  field.sequence, field.bid_count)
if not s[1] then return {'not_found'} end
if s[3] == dealer then return {'own_listing'} end
if s[1] == status.live and ARGV[8] ~= '1' then return {'held'} end
if s[1] ~= status.live or now >= tonumber(s[2]) then return {'closed'} end
local buy_now = tonumber(s[5])
if buy_now == 0 then return {'no_buy_now'} end
if tonumber(s[4]) >= buy_now then return {'price_reached', tonumber(s[4])} end

local alias = alias_of(aliases, state, dealer)
local seq = tonumber(s[6]) + 1
redis.call('HSET', state, field.status, status.sold, field.price, buy_now, field.leader, dealer, field.leader_alias, alias,
  field.bid_count, tonumber(s[7]) + 1, field.sequence, seq, field.closed_at, now, field.reason, 'buy now', field.sale_price, buy_now,
  field.buyer, dealer, field.proof_of_sale, ARGV[5])
redis.call('XADD', events, seq .. '-0', event_field.type, event_type.close, event_field.status, status.sold, event_field.price, buy_now,
  event_field.winner, dealer, event_field.alias, alias, event_field.reason, 'buy now', event_field.at, now)
announce(channel, listing, seq, seq)
redis.call('HSET', answers, answer_key, ARGV[5])
return {'bought', ARGV[5]}
