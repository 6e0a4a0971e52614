"""When petitions change, index them after the commit (through the outbox, in the office's schema).

Connected in `SearchConfig.ready()` (search/apps.py) to `post_save` of the public registry row
(`registry.PetitionRecord`): every change of a petition is written to its registry row in the same
transaction (`registry.services.sync`), handoffs and jurisdiction changes included, so this one
hook sees them all and records each change once, in that transaction (search/effects.py runs it).
A new row is a newly registered petition copy: its repeat check is recorded too, and stored as
pending in the copy's office, so `repeatCheck` is never null once registration returns.
"""

from django_tenants.utils import tenant_context

from xinfang.platform.outbox import services as outbox
from xinfang.search.effects import CHECK_REPEATS, INDEX
from xinfang.search.models import RepeatCheck


def registry_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw:  # a fixture or an office import: reconcile indexes those
        return
    kinds = (INDEX, CHECK_REPEATS) if created else (INDEX,)
    outbox.record(*kinds, subject_id=instance.petition_id, office=instance.office)
    if created:
        with tenant_context(instance.office):  # one INSERT … ON CONFLICT DO NOTHING
            RepeatCheck.objects.bulk_create(
                [RepeatCheck(petition_id=instance.petition_id, state=RepeatCheck.State.PENDING)],
                ignore_conflicts=True,
            )


def connect() -> None:
    from django.db.models.signals import post_save

    from xinfang.platform.registry.models import PetitionRecord

    post_save.connect(registry_saved, sender=PetitionRecord, dispatch_uid="search.registry_saved")
