"""Which Celery tasks a block really publishes to the broker (Celery's own publish signal)."""

import contextlib
from collections import Counter

from celery.signals import before_task_publish


@contextlib.contextmanager
def published_tasks():
    """`with published_tasks() as published:` ... then `published[("search.index_petition",
    petition_id)]` is how many times that task was sent for that first argument."""
    published: Counter = Counter()

    def record(sender=None, body=None, **_):
        args = body[0] if isinstance(body, tuple | list) else []
        published[(sender, str(args[0]) if args else None)] += 1

    before_task_publish.connect(record, weak=False)
    try:
        yield published
    finally:
        before_task_publish.disconnect(record)
