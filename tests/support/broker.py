"""A Redis database of its own to publish Celery messages to, so no running worker takes them:
what was queued where can then be counted."""

import re
from contextlib import contextmanager

import redis
from django.conf import settings

from xinfang.platform.celery import app

SIDE_DB = 15


class SideBroker:
    def __init__(self) -> None:
        self.url = re.sub(r"/\d*$", f"/{SIDE_DB}", settings.CELERY_BROKER_URL)
        self.redis = redis.Redis.from_url(self.url)

    def clear(self) -> None:
        self.redis.delete(*settings.XINFANG_QUEUES.values())

    @contextmanager
    def connection(self):
        with app.connection_for_write(self.url) as connection:
            yield connection

    def depths(self) -> dict[str, int]:
        """{queue (default, index, …): messages waiting} for the queues that hold any."""
        found = {q: self.redis.llen(name) for q, name in settings.XINFANG_QUEUES.items()}
        return {q: n for q, n in found.items() if n}
