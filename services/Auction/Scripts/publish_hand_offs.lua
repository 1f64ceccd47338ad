-- Appends a listing's hand-offs to the service's outbox exactly once, however many times (and by
-- however many Auction instances) the step that owes them is finished.
-- KEYS: 1 outbox (stream), 2 published (set of what has been handed off: "listed:<id>", "ended:<id>")
-- ARGV: 1 the member naming what is handed off, 2 values per entry, 3.. each entry's field, value, ...
-- Returns 1 when appended by this call, 0 when it was already there
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
local per = tonumber(ARGV[2])
for first = 3, #ARGV, per do
  redis.call('XADD', KEYS[1], '*', unpack(ARGV, first, first + per - 1))
end
return 1
