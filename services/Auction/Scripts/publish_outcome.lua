-- Appends a listing's outcome to the outcomes stream exactly once, however many times (and by
-- however many Auction instances) its close is finished.
-- KEYS: 1 outcomes (stream), 2 published (set of the listing ids whose outcome is on the stream)
-- ARGV: 1 listing id, 2.. field, value, ... (the outcome entry)
-- Returns 1 when appended by this call, 0 when it was already there
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
return 1
