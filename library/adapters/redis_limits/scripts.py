"""The Lua script of the shared sliding window: one atomic round trip per request."""

from __future__ import annotations

# Count one request in a sliding-window log, on Redis's clock so that the instances' clocks
# do not matter. The log is a sorted set of request ids scored by their time in microseconds
# (exact in a Lua double until the year 2255); the window is (now - period, now].
# A refused request leaves no entry and no write behind but the trimming of old entries; the
# expiry set on an accepted one already falls when the newest entry leaves the window.
# KEYS: the client's log.   ARGV: limit, period (µs), a unique id for this request.
# Returns {allowed (1 or 0), accepted requests in the window counting this one,
#          µs until the window is empty, µs until one more would be accepted (0 if allowed)}.
SLIDING_WINDOW = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
    redis.call('ZADD', KEYS[1], now, ARGV[3])
    redis.call('PEXPIRE', KEYS[1], math.ceil(period / 1000))
    return {1, count + 1, period, 0}
end
if count == 0 then
    return {0, 0, period, period}
end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local rank = count - limit
local freeing = redis.call('ZRANGE', KEYS[1], rank, rank, 'WITHSCORES')
return {0, count, tonumber(newest[2]) + period - now, tonumber(freeing[2]) + period - now}
"""
