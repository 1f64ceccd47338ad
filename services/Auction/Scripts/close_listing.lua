-- Closes one listing exactly once: only the call that finds it live changes it, however many
-- Auction instances try at the same moment.
-- KEYS: 1 state, 2 events
-- ARGV: 1 listing id, 2 now (ms), 3 mode ('due': only if its end has come; 'close'; 'withdraw'),
--       4 reason, 5 proof of sale id (used if it sells), 6 who closes it early and with which
--       request id, as the caller builds it (CompositeKey; '' when due), 7 the listing's changes channel (sharded, in its slot),
--       8 '1' if the listing's indexes and its VIN's claim agree with a live listing (read by the
--         caller just before: they are in other slots); otherwise it is not closed, only withdrawn
-- Returns {'closed', status} | {'already', status, ARGV 6 of the close that closed it} | {'not_due', ends} | {'not_found'} | {'held'}
local s = redis.call('HMGET', KEYS[1], field.status, field.ends_at, field.floor_price, field.price, field.leader,
  field.leader_alias, field.sequence, field.close_request)
if not s[1] then return {'not_found'} end
if s[1] ~= status.live then return {'already', s[1], s[8] or ''} end
local now, mode = tonumber(ARGV[2]), ARGV[3]
if mode == 'due' and now < tonumber(s[2]) then return {'not_due', tonumber(s[2])} end
if mode ~= 'withdraw' and ARGV[8] ~= '1' then return {'held'} end

local leader, price, floor = s[5], tonumber(s[4]), tonumber(s[3])
local ended = status.unsold
if mode == 'withdraw' then
  ended = status.withdrawn
elseif leader ~= '' and price >= floor then
  ended = status.sold
end

local seq = tonumber(s[7]) + 1
local sale, buyer, proof, alias = 0, '', '', ''
if ended == status.sold then sale, buyer, proof, alias = price, leader, ARGV[5], s[6] end
redis.call('HSET', KEYS[1], field.status, ended, field.closed_at, now, field.reason, ARGV[4], field.sequence, seq,
  field.sale_price, sale, field.buyer, buyer, field.proof_of_sale, proof, field.close_request, ARGV[6])
redis.call('XADD', KEYS[2], seq .. '-0', event_field.type, event_type.close, event_field.status, ended, event_field.price, sale,
  event_field.winner, buyer, event_field.alias, alias, event_field.reason, ARGV[4], event_field.at, now)
announce(ARGV[7], ARGV[1], seq, seq)
return {'closed', ended}
