-- Closes one listing exactly once: only the call that finds it live changes it, however many
-- Auction instances try at the same moment.
-- KEYS: 1 state, 2 events
-- ARGV: 1 listing id, 2 now (ms), 3 mode ('due': only if its end has come; 'close'; 'withdraw'),
--       4 reason, 5 proof of sale id (used if it sells), 6 who closes it early and with which request id, as the caller builds it (CompositeKey; '' when due)
-- Returns {'closed', status} | {'already', status, ARGV 6 of the close that closed it} | {'not_due', ends} | {'not_found'}
local s = redis.call('HMGET', KEYS[1], 'status', 'ends', 'floor', 'price', 'leader', 'lalias', 'seq', 'close_request')
if not s[1] then return {'not_found'} end
if s[1] ~= 'live' then return {'already', s[1], s[8] or ''} end
local now, mode = tonumber(ARGV[2]), ARGV[3]
if mode == 'due' and now < tonumber(s[2]) then return {'not_due', s[2]} end

local leader, price, floor = s[5], tonumber(s[4]), tonumber(s[3])
local status = 'unsold'
if mode == 'withdraw' then
  status = 'withdrawn'
elseif leader ~= '' and price >= floor then
  status = 'sold'
end

local seq = tonumber(s[7]) + 1
local sale, buyer, proof, alias = 0, '', '', ''
if status == 'sold' then sale, buyer, proof, alias = price, leader, ARGV[5], s[6] end
redis.call('HSET', KEYS[1], 'status', status, 'closed_at', now, 'reason', ARGV[4], 'seq', seq,
  'sale', sale, 'buyer', buyer, 'proof', proof, 'close_request', ARGV[6])
redis.call('XADD', KEYS[2], seq .. '-0', 't', 'close', 's', status, 'p', sale, 'w', buyer, 'a', alias,
  'r', ARGV[4], 'at', now)
redis.call('PUBLISH', 'auction:events', ARGV[1] .. ' ' .. seq .. ' ' .. seq)
return {'closed', status}
