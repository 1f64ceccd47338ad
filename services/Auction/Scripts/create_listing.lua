-- Creates a listing's state once. A retry finds it and returns the fingerprint it was created
-- with, so the caller can tell a true retry from a request id reused for something else.
-- KEYS: 1 state
-- ARGV: 1 fingerprint, 2.. field, value, ...
-- Returns {'created'} | {'exists', fingerprint, status}
local existing = redis.call('HMGET', KEYS[1], field.fingerprint, field.status)
if existing[2] then return {'exists', existing[1], existing[2]} end
redis.call('HSET', KEYS[1], field.fingerprint, ARGV[1], unpack(ARGV, 2))
return {'created'}
