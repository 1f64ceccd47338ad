-- Places one bid on one listing in one atomic step: reads the listing, applies the SmartAuction
-- rules (increments, proxy maxima, floor, soft close), writes the new state, appends the events
-- to the listing's log, and stores the answer under the bid so a retry gets the same answer and
-- changes nothing. Names of fields, event fields and statuses come from the prelude (ListingSchema).
-- KEYS: 1 state (hash), 2 events (stream), 3 answers (hash), 4 maxima (hash), 5 aliases (hash)
-- ARGV: 1 listing id, 2 dealer, 3 bid id, 4 amount, 5 maximum (0 = plain bid), 6 now (ms),
--       7 soft close (ms; 0 = hard close), 8 the number of increment bands,
--       9 answer key (the caller's CompositeKey of dealer and bid id), 10 the listing's changes channel (sharded, in its slot),
--       11 '1' if the listing is in the closing index (read by the caller just before: the index is
--          in another slot); a live listing that is not was left half-written, and takes no bid,
--       12.. the increment bands in order, two values each: below (cents; 0 = no upper bound), step
-- Returns {'answer', <answer>} | {'repeat', <answer>} | {'conflict'} | {'not_found'} | {'own_listing'} | {'held'}
--   <answer> = accepted (0/1), rejection ('' or a code), price, minimum next bid, caller leads (0/1),
--              sequence (the listing's last once this bid is applied), ends (ms), floor met (0/1),
--              the caller's maximum (0 = none)
local state, events, answers, maxima, aliases = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local listing, dealer, bid_id = ARGV[1], ARGV[2], ARGV[3]
local amount, maximum, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local soft_close, band_count, answer_key, channel = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9], ARGV[10]

-- An answer is stored as msgpack: the request's fingerprint, then the answer's fields.
local fingerprint = ARGV[4] .. ':' .. ARGV[5]
local stored = redis.call('HGET', answers, answer_key)
if stored then
  local first = {cmsgpack.unpack(stored)}
  if first[1] ~= fingerprint then return {'conflict'} end
  return {'repeat', unpack(first, 2)}
end

local s = redis.call('HMGET', state, field.status, field.ends_at, field.opening_price, field.floor_price, field.grounding_dealer,
  field.price, field.leader, field.leader_maximum, field.bid_count, field.sequence)
if not s[1] then return {'not_found'} end
if s[5] == dealer then return {'own_listing'} end

local function increment(price)
  for band = 0, band_count - 1 do
    local below = tonumber(ARGV[12 + 2 * band])
    if below == 0 or price < below then return tonumber(ARGV[13 + 2 * band]) end
  end
  error('the increment table has no open-ended last band')
end

local listing_status, ends, opening, floor = s[1], tonumber(s[2]), tonumber(s[3]), tonumber(s[4])
if listing_status == status.live and ARGV[11] ~= '1' then return {'held'} end
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
  local fields = {accepted, rejection, price, minimum_next(), leads, seq, ends, floor_met(), own_maximum}
  redis.call('HSET', answers, answer_key, cmsgpack.pack(fingerprint, unpack(fields)))
  return {'answer', unpack(fields)}
end

if listing_status ~= status.live or now >= ends then return answer(0, 'closed') end
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

if price ~= old_price or leader ~= old_leader then
  alias_of(aliases, state, dealer)
  local leader_alias = alias_of(aliases, state, leader)
  count = count + 1
  seq = seq + 1
  redis.call('XADD', events, seq .. '-0', event_field.type, event_type.bid, event_field.price, price,
    event_field.minimum_next, minimum_next(), event_field.alias, leader_alias, event_field.proxy, proxy,
    event_field.floor_met, floor_met(), event_field.bid_count, count, event_field.leader, leader,
    event_field.previous_leader, old_leader, event_field.bidder, dealer, event_field.bid_id, bid_id, event_field.at, now)
  local first = seq
  if soft_close > 0 and now + soft_close > ends then
    ends = now + soft_close
    seq = seq + 1
    redis.call('XADD', events, seq .. '-0', event_field.type, event_type.extension, event_field.new_end, ends, event_field.at, now)
  end
  redis.call('HSET', state, field.price, price, field.leader, leader, field.leader_maximum, lmax, field.leader_alias, leader_alias,
    field.bid_count, count, field.sequence, seq, field.ends_at, ends)
  announce(channel, listing, first, seq)
else
  redis.call('HSET', state, field.leader_maximum, lmax)
end
return answer(1, '')
