"""Relaying recorded effects to the workers, and running them there.

- `nudge(kind)` (after a commit, in the web process): a background thread publishes one
  `outbox.drain` message for the kind, at most every NUDGE_INTERVAL per kind. The request never
  waits for it; with the broker down the nudge is dropped (and logged) and the sweep catches up.
- `drain(kind)` (a worker): claims due effects of the kind in batches (`FOR UPDATE SKIP LOCKED`,
  so several workers share them), runs the handler per office in that office's schema, and in
  the same transaction records each effect done, or failed with its next attempt backed off.
- `sweep()` (beat, every few seconds): a drain for every kind with due effects: new ones whose
  nudge was lost, and failed ones whose back-off has passed.

At most one nudged drain per kind waits in its queue (`mark_queued`, a key beside the queues in
the broker's Redis): it will claim every effect recorded until it starts, so more messages would
only pile up while the workers are busy. A drain that finds a full batch queues the next one, so
every idle worker of the queue joins in. A mark whose message was lost (its process died between
the mark and the publish, or the broker crashed within its last second) would hold back every
nudge of its kind until it expires after QUEUED_TTL: the sweep trusts a mark only while a message
waits in the queue, so a lost one costs a sweep interval, not a minute (`remark_queued`).
"""

import contextlib
import functools
import logging
import math
import os
import queue
import random
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from itertools import groupby

import redis
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.outbox import handlers
from xinfang.platform.outbox.models import Effect
from xinfang.tenants.models import Office

logger = logging.getLogger(__name__)

NUDGE_INTERVAL = 0.2  # seconds between two drain messages for one kind from one process
BACKOFF_BASE = 2.0
BACKOFF_MAX = 300.0
RELEASE_INTERVAL = 30.0  # seconds between two releases of a kind's backed-off effects
QUEUED_TTL = 60  # seconds a drain counts as waiting in its queue (a lost message is forgotten)
KEEP_DONE = timedelta(days=7)  # done effects stay visible this long, then the sweep purges them
PURGE_BATCH = 10_000


# --- the nudge (web processes) -------------------------------------------------------------------


class _Nudger:
    """One daemon thread per process (a forked child starts its own)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._last_warning = -math.inf

    def nudge(self, kind: str) -> None:
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    self._queue = queue.SimpleQueue()
                    threading.Thread(
                        target=self._run, args=(self._queue,), name="outbox-nudge", daemon=True
                    ).start()
                    self._pid = os.getpid()
        self._queue.put(kind)

    def _run(self, inbox: queue.SimpleQueue) -> None:
        sent: dict[str, float] = {}
        waiting: set[str] = set()
        while True:
            now = time.monotonic()
            waits = [sent[k] + NUDGE_INTERVAL - now for k in waiting]
            try:
                waiting.add(inbox.get(timeout=max(min(waits), 0) if waits else None))
                while True:
                    waiting.add(inbox.get_nowait())
            except queue.Empty:
                pass
            now = time.monotonic()
            for kind in sorted(waiting):
                if now - sent.get(kind, -math.inf) >= NUDGE_INTERVAL:
                    waiting.discard(kind)
                    sent[kind] = now
                    self._publish(kind)

    def _publish(self, kind: str) -> None:
        from xinfang.platform.outbox.tasks import send_drain

        try:
            send_drain(kind, retry=False)
        except Exception as exc:  # the broker is down: the sweep relays it once it is back
            if time.monotonic() - self._last_warning > 60:
                self._last_warning = time.monotonic()
                logger.warning("outbox: broker unavailable, %s waits for the sweep: %s", kind, exc)


nudge = _Nudger().nudge


@functools.cache
def _broker() -> redis.Redis:
    """The broker's Redis: the marks describe its queues (and are namespaced like them)."""
    return redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=2, socket_connect_timeout=2
    )


def _mark(kind: str) -> str:
    return f"{settings.CELERY_TASK_DEFAULT_QUEUE}:drain-queued:{kind}"


def _mark_value() -> str:
    """Who set a mark, and when: what the log names when the mark's message turns out lost."""
    return f"pid {os.getpid()} at {time.time():.3f}"


def mark_queued(kind: str) -> bool:
    """Note that a drain of `kind` waits in its queue; False when one already does. With the
    broker's Redis unreachable every drain is sent (and fails like it)."""
    try:
        return bool(_broker().set(_mark(kind), _mark_value(), nx=True, ex=QUEUED_TTL))
    except redis.RedisError:
        return True


def remark_queued(kind: str) -> None:
    """The mark of `kind` stands but no message waits in its queue (the sweep looked): the
    message was lost, so the mark now stands for the drain about to be sent."""
    with contextlib.suppress(redis.RedisError):
        lost = _broker().set(_mark(kind), _mark_value(), ex=QUEUED_TTL, get=True)
        if lost:
            setter, _, at = lost.decode().rpartition(" at ")
            ago = time.time() - float(at)
            logger.warning("outbox: lost drain of %s (queued by %s %.0f s ago), sent again",
                           kind, setter, ago)  # fmt: skip


def unmark_queued(kind: str) -> None:
    """The drain of `kind` has started (or was never sent): the next nudge queues another."""
    with contextlib.suppress(redis.RedisError):  # else the mark expires by itself
        _broker().delete(_mark(kind))


# --- the drain (workers) -------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """Exponential, capped, with jitter (retries of many effects that failed together spread)."""
    seconds = min(BACKOFF_MAX, BACKOFF_BASE**attempts) * random.uniform(0.5, 1.5)
    return timedelta(seconds=seconds)


def drain(
    kind: str, *, budget: float = 30.0, backlog: Callable[[], None] | None = None
) -> tuple[int, bool]:
    """Run due effects of `kind` batch after batch for up to `budget` seconds; returns how many
    were run and whether due ones remain. `backlog()` is called once the first batch comes back
    full (more are due: another worker may help)."""
    handler = handlers.get(kind)
    started = time.monotonic()
    total = 0
    while time.monotonic() - started < budget:
        claimed = _drain_batch(handler)
        total += claimed
        if claimed < handler.batch:
            return total, False
        if backlog is not None and total == claimed:
            backlog()
    return total, True


def _drain_batch(handler: handlers.Handler) -> int:
    connection.set_schema_to_public()
    now = timezone.now()
    with transaction.atomic():
        effects = list(
            Effect.objects.select_for_update(skip_locked=True)
            .filter(kind=handler.kind, done_at__isnull=True, due_at__lte=now)
            .order_by("due_at", "id")[: handler.batch]
        )
        if not effects:
            return 0
        offices = Office.objects.in_bulk({e.office_id for e in effects})
        effects.sort(key=lambda e: e.office_id)
        for office_id, group in groupby(effects, key=lambda e: e.office_id):
            mine = list(group)
            failures = _run(handler, offices[office_id], [e.subject_id for e in mine])
            finished = timezone.now()
            for effect in mine:
                effect.attempts += 1
                if effect.subject_id in failures:
                    effect.last_error = failures[effect.subject_id]
                    effect.due_at = finished + backoff(effect.attempts)
                else:
                    effect.last_error = ""
                    effect.done_at = finished
        connection.set_schema_to_public()
        Effect.objects.bulk_update(effects, ["attempts", "last_error", "due_at", "done_at"])
    if any(e.done_at for e in effects):
        _release_waiting(handler.kind, besides=[e.pk for e in effects if not e.done_at])
    return len(effects)


_released: dict[str, float] = {}  # kind → when this process last released its waiting effects


def _release_waiting(kind: str, *, besides: list[int]) -> None:
    """The kind works (again): its effects waiting out a back-off are due now, so recovery from
    an outage takes the time to catch up, not the longest back-off. At most every
    RELEASE_INTERVAL per process: an effect failing for a reason of its own is retried that
    often at most while the others succeed."""
    if time.monotonic() - _released.get(kind, -math.inf) < RELEASE_INTERVAL:
        return
    _released[kind] = time.monotonic()
    now = timezone.now()
    waiting = Effect.objects.filter(kind=kind, done_at__isnull=True, attempts__gt=0, due_at__gt=now)
    waiting.exclude(pk__in=besides).update(due_at=now)


def _run(handler: handlers.Handler, office: Office, subject_ids: list[str]) -> handlers.Failures:
    """The handler over one office's effects; an error fails them all (its writes undone)."""
    try:
        with tenant_context(office), transaction.atomic():
            return handler.run(list(dict.fromkeys(subject_ids)))
    except handlers.CONNECTION_LOST:
        raise
    except Exception as exc:
        logger.warning("outbox: %s failed in %s: %s", handler.kind, office.schema_name, exc)
        return dict.fromkeys(subject_ids, handlers.describe(exc))


# --- the sweep (beat) ----------------------------------------------------------------------------


def due_kinds() -> dict[str, int]:
    """{kind: effects due now}."""
    connection.set_schema_to_public()
    rows = (
        Effect.objects.filter(done_at__isnull=True, due_at__lte=timezone.now())
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return dict(rows)


def purge_done() -> int:
    """Forget effects done more than KEEP_DONE ago (a bounded batch per sweep)."""
    connection.set_schema_to_public()
    old = Effect.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).values("pk")[:PURGE_BATCH]
    deleted, _ = Effect.objects.filter(pk__in=old).delete()
    return deleted


def backlog() -> dict[str, dict[str, int]]:
    """{kind: {"pending": n, "failing": n, "waiting": n}} (failing: tried and not done;
    waiting: parked until a condition holds, not pending)."""
    connection.set_schema_to_public()
    found: dict[str, dict[str, int]] = {}
    rows = (
        Effect.objects.filter(done_at__isnull=True)
        .values("kind", "attempts", "waiting_for")
        .annotate(n=Count("id"))
        .values_list("kind", "attempts", "waiting_for", "n")
    )
    for kind, attempts, waiting_for, n in rows:
        entry = found.setdefault(kind, {"pending": 0, "failing": 0, "waiting": 0})
        entry["waiting" if waiting_for else "pending"] += n
        if attempts:
            entry["failing"] += n
    return found
