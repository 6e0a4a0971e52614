"""Which outbox effects a block records (platform/outbox), counted by kind and subject."""

import contextlib
from collections import Counter

from django.db.models import Max

from xinfang.platform.outbox.models import Effect


@contextlib.contextmanager
def recorded_effects():
    """`with recorded_effects() as recorded:` ... then `recorded[("search.index", petition_id)]`
    is how many effects of that kind the block recorded about that subject."""
    recorded: Counter = Counter()
    before = Effect.objects.aggregate(last=Max("pk"))["last"] or 0
    yield recorded
    for kind, subject in Effect.objects.filter(pk__gt=before).values_list("kind", "subject_id"):
        recorded[(kind, subject)] += 1


def settle_effects(subject_ids) -> None:
    """Before a test deletes what it committed: wait for a worker still running an effect about
    these subjects (its drain holds their rows locked), and mark the rest done, so no repeat check
    writes a row about a petition the test is deleting."""
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        pending = Effect.objects.select_for_update().filter(
            subject_id__in=[str(s) for s in subject_ids], done_at=None
        )
        pending.update(done_at=timezone.now())
