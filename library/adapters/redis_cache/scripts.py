"""Lua scripts: the two operations that must be atomic on the Redis side."""

from __future__ import annotations

# Store an entry only if every generation it depends on still has the value the reader saw
# before it read the database. A writer that committed meanwhile has bumped one of them, so
# a slow reader cannot put back what it read before that commit.
# A generation that the reader saw missing and that is still missing gets a fresh value here,
# and the entry is stored under it: no writer bumped it in between, so what the reader read
# is current. One the reader saw set but that is gone (evicted) is recreated, and nothing is
# stored. The entry is `generations\nrest`, the generations as they now stand.
# KEYS: entry, clock, generations...   ARGV: ttl_ms, rest, expected generations ('' = missing)
STORE_IF_CURRENT = """
local current = redis.call('MGET', unpack(KEYS, 3))
local valid = true
for i = 1, #current do
    if not current[i] then
        current[i] = tostring(redis.call('INCR', KEYS[2]))
        redis.call('SET', KEYS[i + 2], current[i])
        if ARGV[i + 2] ~= '' then
            valid = false
        end
    elseif current[i] ~= ARGV[i + 2] then
        valid = false
    end
end
if not valid then
    return 0
end
redis.call('SET', KEYS[1], table.concat(current, ',') .. '\\n' .. ARGV[2], 'PX', ARGV[1])
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
