-- Places one bid on one listing in one atomic step: reads the listing, applies the SmartAuction
-- rules (increments, proxy maxima, floor, soft close), writes the new state, appends the events
-- to the listing's log, and stores the answer under the bid id so a retry gets the same answer
-- and changes nothing.
-- KEYS: 1 state (hash), 2 events (stream), 3 answers (hash), 4 maxima (hash), 5 aliases (hash)
-- ARGV: 1 listing id, 2 dealer, 3 bid id, 4 amount, 5 maximum (0 = plain bid), 6 now (ms),
--       7 soft close (ms; 0 = hard close), 8 increments "below:step,...,0:step" (0 = no upper bound),
--       9 answer key: this dealer's bid id as the caller builds it (CompositeKey), so no dealer's
--         choice of bid id can name another dealer's stored answer
-- Returns {'answer', text} | {'repeat', text} | {'conflict'} | {'not_found'} | {'own_listing'}
--   text = "accepted|rejection|price|minimum_next|caller_leads|sequence|ends|floor_met|caller_max"
--   sequence = the listing's last sequence once this bid is applied (its own last event, if it made any)
local state, events, answers, maxima, aliases = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local listing, dealer, bid_id = ARGV[1], ARGV[2], ARGV[3]
local amount, maximum, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local soft_close, bands = tonumber(ARGV[7]), ARGV[8]

local answer_key = ARGV[9]
local fingerprint = ARGV[4] .. ':' .. ARGV[5]
local stored = redis.call('HGET', answers, answer_key)
if stored then
  local cut = string.find(stored, '|', 1, true)
  if string.sub(stored, 1, cut - 1) ~= fingerprint then return {'conflict'} end
  return {'repeat', string.sub(stored, cut + 1)}
end

local s = redis.call('HMGET', state, 'status', 'ends', 'opening', 'floor', 'grounding', 'price', 'leader', 'lmax', 'count', 'seq')
if not s[1] then return {'not_found'} end
if s[5] == dealer then return {'own_listing'} end

local function increment(price)
  for below, step in string.gmatch(bands, '(%d+):(%d+)') do
    below = tonumber(below)
    if below == 0 or price < below then return tonumber(step) end
  end
  error('the increment table has no open-ended last band')
end

local status, ends, opening, floor = s[1], tonumber(s[2]), tonumber(s[3]), tonumber(s[4])
local old_price, old_leader = tonumber(s[6]), s[7]
local price, leader, lmax = old_price, old_leader, tonumber(s[8])
local count, seq = tonumber(s[9]), tonumber(s[10])
local own_maximum = tonumber(redis.call('HGET', maxima, dealer) or '0')

local function minimum_next()
  if leader == '' then return opening end
  return price + increment(price)
end

local function floor_met()
  if leader ~= '' and price >= floor then return 1 end
  return 0
end

-- The answer reads the state as it stands when called (closures see the updated locals).
local function answer(accepted, rejection)
  local leads = 0
  if leader == dealer then leads = 1 end
  local text = table.concat({accepted, rejection, price, minimum_next(), leads, seq, ends, floor_met(), own_maximum}, '|')
  redis.call('HSET', answers, answer_key, fingerprint .. '|' .. text)
  return {'answer', text}
end

if status ~= 'live' or now >= ends then return answer(0, 'closed') end
if maximum > 0 and maximum < amount then return answer(0, 'maximum_below_amount') end

local effective = math.max(amount, maximum)
local proxy = 0
if leader == dealer then
  -- The leader raises its maximum; the price moves only if the floor comes within reach.
  if effective <= lmax then
    if maximum > 0 then return answer(0, 'maximum_lowered') end
    return answer(0, 'already_leading')
  end
  lmax = effective
elseif amount < minimum_next() then
  return answer(0, 'below_minimum')
elseif leader == '' then
  leader, lmax, price = dealer, effective, amount
elseif effective > lmax then
  -- The challenger's maximum beats the leader's: one increment over the beaten maximum, never over its own.
  price = math.max(amount, math.min(effective, lmax + increment(lmax)))
  if price ~= amount then proxy = 1 end
  leader, lmax = dealer, effective
else
  -- The leader's maximum holds (an equal one too: the earlier maximum wins) and answers one
  -- increment over the challenger, never over itself.
  price = math.min(lmax, effective + increment(effective))
  proxy = 1
end
if lmax >= floor and price < floor then
  price = floor
  proxy = 1
end
-- A maximum, or the leader's own bid (which only raises its maximum), is the dealer's maximum
-- now; a challenger's plain bid leaves it none (any earlier maximum of its was beaten).
if maximum > 0 or old_leader == dealer then
  own_maximum = effective
  redis.call('HSET', maxima, dealer, effective)
elseif own_maximum > 0 then
  own_maximum = 0
  redis.call('HDEL', maxima, dealer)
end

local function alias_of(bidder)
  local alias = redis.call('HGET', aliases, bidder)
  if not alias then
    alias = redis.call('HINCRBY', state, 'aliases', 1)
    redis.call('HSET', aliases, bidder, alias)
  end
  return alias
end

if price ~= old_price or leader ~= old_leader then
  alias_of(dealer)
  local leader_alias = alias_of(leader)
  count = count + 1
  seq = seq + 1
  redis.call('XADD', events, seq .. '-0', 't', 'bid', 'p', price, 'n', minimum_next(), 'a', leader_alias,
    'x', proxy, 'f', floor_met(), 'c', count, 'l', leader, 'o', old_leader, 'b', dealer, 'i', bid_id, 'at', now)
  local first = seq
  if soft_close > 0 and now + soft_close > ends then
    ends = now + soft_close
    seq = seq + 1
    redis.call('XADD', events, seq .. '-0', 't', 'ext', 'e', ends, 'at', now)
  end
  redis.call('HSET', state, 'price', price, 'leader', leader, 'lmax', lmax, 'lalias', leader_alias,
    'count', count, 'seq', seq, 'ends', ends)
  redis.call('PUBLISH', 'auction:events', listing .. ' ' .. first .. ' ' .. seq)
else
  redis.call('HSET', state, 'lmax', lmax)
end
return answer(1, '')
