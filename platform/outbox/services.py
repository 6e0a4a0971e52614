"""Recording after-commit work: the one call services make instead of `on_commit(task.delay)`.

    outbox.record(INDEX, CHECK_REPEATS, subject_id=petition.pk)

inside the service's transaction. The rows commit with the change or not at all; after the
commit the relay is nudged (never waited for: the request does not touch the broker); the sweep
finds whatever a nudge missed.
"""

import functools

from django.db import transaction
from django.utils import timezone

from xinfang.platform.outbox import handlers, relay
from xinfang.platform.outbox.models import Effect
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office


def record(*kinds: str, subject_id, office: Office | None = None) -> None:
    """Record effects of these kinds about `subject_id`, to run in `office`'s schema (the current
    office by default), in the current transaction."""
    for kind in kinds:
        handlers.get(kind)  # a kind nobody handles would wait forever
    office = office or current_office()
    now = timezone.now()
    Effect.objects.bulk_create(
        Effect(kind=kind, office=office, subject_id=str(subject_id), created_at=now, due_at=now)
        for kind in kinds
    )
    for kind in kinds:
        transaction.on_commit(functools.partial(relay.nudge, kind), robust=True)
