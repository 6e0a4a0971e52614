"""Growing delays for guessers: each wrong guess under a key makes the next attempt wait longer.

After `free` wrong guesses, the next attempt under the same key must wait `base` seconds, then
twice that after each further wrong guess, up to `cap`; the count is forgotten `memory` seconds
after the last attempt. Unlike a lockout, the wait never passes `cap`, so someone who only knows
a key (a petition's reference) can slow its owner down by at most `cap` seconds, never shut them
out.

An attempt is counted as a wrong guess the moment it is let through, in the same Redis script
that decided to let it through (platform/counters.py): two concurrent guesses can never both
pass on one reading of the count, so a burst of guesses gets no more tries than a patient
guesser. A right guess then gives its count back (`Attempt.undo`), or forgets the key's whole
count (`Backoff.forget`). State lives in the cache's Redis, shared by every web process and
office host.
"""

import math
import time
from dataclasses import dataclass

from xinfang.platform import counters
from xinfang.platform.errors import ErrorCode, ServiceError

# KEYS[1]: the key's hash (failures, opens). ARGV: now, memory, free, then the waits after
# free+1, free+2, … wrong guesses (the last one repeats: the cap). Returns {0, seconds to wait} when
# the attempt must wait, else {1, opens before, opens now}: the attempt, counted.
_ATTEMPT = counters.script("""
local now = tonumber(ARGV[1])
local opens = redis.call('HGET', KEYS[1], 'opens') or '0'
if tonumber(opens) > now then
  return {0, string.format('%.17g', tonumber(opens) - now)}
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local free = tonumber(ARGV[3])
local wait = 0
if failures > free then
  wait = tonumber(ARGV[3 + math.min(failures - free, #ARGV - 3)])
end
local reserved = opens
if wait > 0 then  -- a free attempt sets no wait (the callers' clocks differ by milliseconds)
  reserved = string.format('%.17g', now + wait)
  redis.call('HSET', KEYS[1], 'opens', reserved)
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {1, opens, reserved}
""")
# KEYS[1]: as above. ARGV: the attempt's opens before and its own. Gives one count back, and
# the earlier wait, unless a later attempt has set its own since.
_UNDO = counters.script("""
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', -1)
if failures <= 0 then
  redis.call('DEL', KEYS[1])
elseif redis.call('HGET', KEYS[1], 'opens') == ARGV[2] then
  redis.call('HSET', KEYS[1], 'opens', ARGV[1])
end
return 1
""")


class Throttled(ServiceError):
    code = ErrorCode.THROTTLED


@dataclass(frozen=True)
class Attempt:
    """An attempt let through, counted as a wrong guess until `undo`ne."""

    backoff: "Backoff"
    key: str
    opens_before: str
    opens: str

    def undo(self) -> None:
        """The guess was right (or never made): give its count back, not the earlier ones, so a
        guesser cannot wipe their record by looking up something of their own."""
        _UNDO(keys=[self.backoff.redis_key(self.key)], args=[self.opens_before, self.opens])


@dataclass(frozen=True)
class Backoff:
    name: str
    free: int
    base: float
    cap: float
    memory: int

    def delay(self, failures: int) -> float:
        """Seconds the attempt after `failures` wrong guesses must wait."""
        if failures <= self.free:
            return 0.0
        return min(self.base * 2 ** (failures - self.free - 1), self.cap)

    def waits(self) -> list[float]:
        """`delay` after free+1, free+2, … wrong guesses, up to the first that reaches the cap."""
        waits = [self.delay(self.free + 1)]
        while waits[-1] < self.cap:
            waits.append(self.delay(self.free + len(waits) + 1))
        return waits

    def redis_key(self, key: str) -> str:
        return counters.key(f"backoff:{self.name}:{key}")

    def attempt(self, key: str, message: str) -> Attempt:
        """Let one attempt through under `key`, counted as a wrong guess, or THROTTLED with
        `retryAfter` (seconds) while the key must still wait (that attempt is not counted)."""
        args = [time.time(), self.memory, self.free, *self.waits()]
        let_through, *opens = _ATTEMPT(keys=[self.redis_key(key)], args=args)
        if not let_through:
            raise Throttled(message, retryAfter=max(1, math.ceil(round(float(opens[0]), 3))))
        return Attempt(self, key, *(o.decode() for o in opens))

    def forget(self, key: str) -> None:
        """Forget every wrong guess under `key` (its owner proved it is theirs)."""
        counters.client().delete(self.redis_key(key))
