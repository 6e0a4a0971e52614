"""Growing delays for guessers: each wrong guess under a key makes the next attempt wait longer.

After `free` wrong guesses, the next attempt under the same key must wait `base` seconds, then
twice that after each further wrong guess, up to `cap`; the count is forgotten `memory` seconds
after the last wrong guess (a caller may clear it after a right one). Unlike a lockout, the wait
never passes `cap`, so someone who only knows a key (a petition's reference) can slow its owner
down by at most `cap` seconds, never shut them out. State lives in the shared cache (Redis), so
every web process and office host sees the same counts.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

from xinfang.platform.errors import ErrorCode, ServiceError


class Throttled(ServiceError):
    code = ErrorCode.THROTTLED


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

    def _keys(self, key: str) -> tuple[str, str]:
        return f"backoff:{self.name}:{key}:failures", f"backoff:{self.name}:{key}:opens"

    def check(self, key: str, message: str) -> None:
        """THROTTLED, with `retryAfter` (seconds), while the key must still wait."""
        opens_at = cache.get(self._keys(key)[1])
        if opens_at is not None and opens_at > time.time():
            raise Throttled(message, retryAfter=math.ceil(opens_at - time.time()))

    def failed(self, key: str) -> None:
        failures_key, opens_key = self._keys(key)
        cache.add(failures_key, 0, timeout=self.memory)
        try:
            failures = cache.incr(failures_key)
        except ValueError:  # expired between add and incr
            failures = 1
            cache.set(failures_key, failures, timeout=self.memory)
        cache.touch(failures_key, self.memory)
        wait = self.delay(failures)
        if wait:
            cache.set(opens_key, time.time() + wait, timeout=math.ceil(wait))

    def succeeded(self, key: str) -> None:
        cache.delete_many(self._keys(key))
