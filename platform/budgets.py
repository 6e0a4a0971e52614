"""Sliding-window budgets: at most `budget` units spent under a key in ANY `window` seconds.

A fixed window (a counter per minute) lets a client spend the budget at the end of one minute
and again at the start of the next: twice the budget within a second. Here every charge is
logged in a Redis sorted set with its time (platform/counters.py), and a charge passes only if
the charges of the last `window` seconds, its own included, stay within the budget; the check,
the expiry of old charges and the charge are one script, so concurrent requests never both pass
on one reading. A running total beside the log keeps each charge O(log n): expired charges are
subtracted as they leave.
"""

import math
import time
from dataclasses import dataclass

from xinfang.platform import counters

# KEYS[1]: the log (member "<sequence>:<cost>", score its time); KEYS[2]: the running total and
# the sequence. ARGV: now, window, budget, cost. Returns {1} charged, or {0, seconds until
# enough of the log has expired for this cost to pass}. A caller whose clock is behind the
# newest charge (read a moment before another's, run after it) is taken to be at that charge:
# the log stays in order and no wait exceeds the window.
_CHARGE = counters.script("""
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local budget, cost = tonumber(ARGV[3]), tonumber(ARGV[4])
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] and tonumber(newest[2]) > now then now = tonumber(newest[2]) end
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
local spent = tonumber(redis.call('HGET', KEYS[2], 'spent') or '0')
for _, member in ipairs(expired) do
  spent = spent - tonumber(string.match(member, ':(%d+)$'))
end
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
end
local ttl = math.ceil(window) + 1
if spent + cost > budget then
  redis.call('HSET', KEYS[2], 'spent', spent)
  redis.call('EXPIRE', KEYS[2], ttl)
  if cost > budget then return {0, string.format('%.17g', window)} end
  local freed, oldest = 0, redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  for i = 1, #oldest, 2 do
    freed = freed + tonumber(string.match(oldest[i], ':(%d+)$'))
    if spent - freed + cost <= budget then
      return {0, string.format('%.17g', tonumber(oldest[i + 1]) + window - now)}
    end
  end
  return {0, string.format('%.17g', window)}
end
local sequence = redis.call('HINCRBY', KEYS[2], 'sequence', 1)
redis.call('ZADD', KEYS[1], now, sequence .. ':' .. cost)
redis.call('HSET', KEYS[2], 'spent', spent + cost)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
return {1}
""")


@dataclass(frozen=True)
class Refused:
    retry_after: int  # seconds until the charge would pass


@dataclass(frozen=True)
class SlidingBudget:
    name: str
    budget: int
    window: int  # seconds

    def charge(self, key: str, cost: int) -> Refused | None:
        """Spend `cost` under `key`, or leave it uncharged and say when it would pass."""
        keys = [counters.key(f"budget:{self.name}:{key}:{part}") for part in ("log", "total")]
        charged, *wait = _CHARGE(keys=keys, args=[time.time(), self.window, self.budget, cost])
        if charged:
            return None
        return Refused(retry_after=max(1, math.ceil(round(float(wait[0]), 3))))
