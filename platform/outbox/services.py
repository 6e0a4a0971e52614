"""Recording after-commit work: the one call services make instead of `on_commit(task.delay)`.

    outbox.record(INDEX, CHECK_REPEATS, subject_id=petition.pk)

inside the service's transaction. The rows commit with the change or not at all; after the
commit the relay is nudged (never waited for: the request does not touch the broker); the sweep
finds whatever a nudge missed. One change records an effect once, however often it asks (a
handoff saves a copy's registry row several times: one indexing follows).

Work that cannot run until something outside the database changes (a notice whose channel is
not configured) is `park`ed: recorded with the change, never due, until `release` lets it go
(bounded per call) or `abandon` gives it up.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from xinfang.platform.outbox import handlers, relay
from xinfang.platform.outbox.models import Effect
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office


class _Nudge:
    """The after-commit nudge of one recorded effect. Kept by Django with the transaction's other
    callbacks, it also tells which effects the transaction holds: a savepoint rolled back drops
    both its rows and their nudges."""

    def __init__(self, kind: str, key: tuple) -> None:
        self.kind, self.key = kind, key

    def __call__(self) -> None:
        relay.nudge(self.kind)


def _recorded_in_this_transaction() -> set[tuple]:
    callbacks = (entry[1] for entry in connection.run_on_commit)  # (savepoints, callback, robust)
    return {cb.key for cb in callbacks if isinstance(cb, _Nudge)}


def record(*kinds: str, subject_id, office: Office | None = None) -> None:
    """Record effects of these kinds about `subject_id`, to run in `office`'s schema (the current
    office by default), in the current transaction."""
    for kind in kinds:
        handlers.get(kind)  # a kind nobody handles would wait forever
    office = office or current_office()
    subject = str(subject_id)
    held = _recorded_in_this_transaction()
    new = [k for k in dict.fromkeys(kinds) if (k, office.pk, subject) not in held]
    now = timezone.now()
    Effect.objects.bulk_create(
        Effect(kind=kind, office=office, subject_id=subject, created_at=now, due_at=now)
        for kind in new
    )
    for kind in new:
        transaction.on_commit(_Nudge(kind, (kind, office.pk, subject)), robust=True)


# An effect that waits (`park`) is due only once released: until then it is never claimed.
PARKED_UNTIL = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)


def park(kind: str, *, subject_ids, waiting_for: str, office: Office | None = None) -> None:
    """Record effects that cannot run until `waiting_for` holds (a condition outside the
    database: "channel:sms" configured), in the current transaction; `release` lets them go."""
    handlers.get(kind)
    office = office or current_office()
    now = timezone.now()
    Effect.objects.bulk_create(
        Effect(
            kind=kind,
            office=office,
            subject_id=str(subject_id),
            created_at=now,
            due_at=PARKED_UNTIL,
            waiting_for=waiting_for,
        )
        for subject_id in subject_ids
    )


def release(kind: str, *, waiting_for: str, since: datetime.datetime, limit: int) -> int:
    """`waiting_for` holds now: the oldest `limit` effects waiting for it, recorded since
    `since`, are due at once (and their kind's drain nudged). Bounded per call: a backlog of
    months drains over several calls, never in one burst."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Effect.objects.select_for_update(skip_locked=True)
            .filter(kind=kind, waiting_for=waiting_for, done_at__isnull=True, created_at__gte=since)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        released = Effect.objects.filter(pk__in=ids).update(due_at=now, waiting_for="")
        if released:
            transaction.on_commit(lambda: relay.nudge(kind), robust=True)
    return released


def abandon(kind: str, *, waiting_for: str, before: datetime.datetime, reason: str) -> int:
    """Effects that waited for `waiting_for` since before `before` are given up (done, with why):
    what was told that long ago is no longer worth sending."""
    waiting = Effect.objects.filter(
        kind=kind, waiting_for=waiting_for, done_at__isnull=True, created_at__lt=before
    )
    return waiting.update(done_at=timezone.now(), last_error=reason[:500], waiting_for="")
