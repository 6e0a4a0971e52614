"""Counters every web process shares, changed atomically: Lua scripts run in the cache's Redis.

A throttle that reads a count and then writes it lets two concurrent requests both pass on the
same reading; a script runs whole inside Redis, so its check and its count are one step. Keys
carry the cache's `KEY_PREFIX` (the instance, and each test's own namespace), like every other
key the cache holds. Times come from the caller (`time.time()` in seconds), so tests move a
clock instead of waiting.
"""

import functools

import redis
from django.conf import settings


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def client() -> redis.Redis:
    """The cache's Redis (CACHES["default"]["LOCATION"])."""
    return _client(settings.CACHES["default"]["LOCATION"])


def key(name: str) -> str:
    """`name` in the cache's namespace."""
    return f"{settings.CACHES['default']['KEY_PREFIX']}:counters:{name}"


def script(source: str):
    """A Lua script registered once per process, run as `run(keys=[...], args=[...])`."""
    registered: dict[int, redis.commands.core.Script] = {}

    def run(*, keys: list[str], args: list):
        connection = client()
        if id(connection) not in registered:
            registered[id(connection)] = connection.register_script(source)
        return registered[id(connection)](keys=keys, args=args)

    return run
