"""Recording after-commit work: the one call services make instead of `on_commit(task.delay)`.

    outbox.record(INDEX, CHECK_REPEATS, subject_id=petition.pk)

inside the service's transaction. The rows commit with the change or not at all; after the
commit the relay is nudged (never waited for: the request does not touch the broker); the sweep
finds whatever a nudge missed. One change records an effect once, however often it asks (a
handoff saves a copy's registry row several times: one indexing follows).
"""

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
