-- Compare-and-set on one key: sets it to ARGV[2] (deletes it when ARGV[2] is '') only if it
-- holds ARGV[1] (is missing when ARGV[1] is ''). One key, so it runs on any Redis Cluster slot.
-- KEYS: 1 the claim
-- ARGV: 1 expected value ('' = none), 2 new value ('' = none)
-- Returns 1 when swapped, 0 when the key held something else
local held = redis.call('GET', KEYS[1]) or ''
if held ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
