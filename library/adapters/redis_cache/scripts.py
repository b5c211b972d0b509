"""Lua scripts: the two operations that must be atomic on the Redis side."""

from __future__ import annotations

# Store an entry only if every generation it depends on still has the value the reader saw
# before it read the database. A writer that committed meanwhile has bumped one of them, so
# a slow reader cannot put back what it read before that commit.
# A generation never set yet gets a fresh value here (and nothing is stored this time): the
# next reader sees it and can cache.
# KEYS: entry, clock, generations...   ARGV: ttl_ms, value, expected generations...
STORE_IF_CURRENT = """
local current = redis.call('MGET', unpack(KEYS, 3))
local valid = true
for i = 1, #current do
    if not current[i] then
        redis.call('SET', KEYS[i + 2], redis.call('INCR', KEYS[2]))
        valid = false
    elseif current[i] ~= ARGV[i + 2] then
        valid = false
    end
end
if not valid then
    return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
return 1
"""

# Give each generation a value it never had before: drawn from one counter, so a generation
# that was lost (evicted, flushed) never comes back to a value an old entry recorded.
# KEYS: clock, generations...
BUMP = """
local value = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
    redis.call('SET', KEYS[i], value)
end
return value
"""
