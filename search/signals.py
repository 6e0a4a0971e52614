"""When petitions change, index them after the commit (through Celery, in the office's schema).

Connected in `SearchConfig.ready()` (search/apps.py) to `post_save` of the public registry row
(`exchange.PetitionRecord`): every change of a petition is written to its registry row in the same
transaction (`registry.services.sync`), handoffs and jurisdiction changes included, so this one
hook sees them all and queues each change once. A new row is a newly registered petition copy:
its repeat check runs too.

Queuing never breaks the change it follows: a broker failure is logged, and `manage.py
search_index reconcile` indexes whatever was missed.
"""

import logging

from django.db import connection, transaction

logger = logging.getLogger(__name__)


def enqueue_index(petition_id, *, schema_name: str | None = None, check: bool = False) -> None:
    """Queue indexing (and the repeat check) of a petition; call after the commit."""
    from xinfang.search.tasks import check_repeats_task, index_petition_task

    headers = {"_schema_name": schema_name or connection.schema_name}
    try:
        index_petition_task.apply_async(args=[str(petition_id)], headers=headers)
        if check:
            check_repeats_task.apply_async(args=[str(petition_id)], headers=headers)
    except Exception:  # the broker is down: reconcile repairs it later
        logger.exception("could not queue indexing of petition %s", petition_id)


def registry_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw:
        return
    petition_id = instance.petition_id
    schema = instance.office.schema_name
    transaction.on_commit(
        lambda: enqueue_index(petition_id, schema_name=schema, check=created), robust=True
    )


def connect() -> None:
    from django.db.models.signals import post_save

    from xinfang.platform.registry.models import PetitionRecord

    post_save.connect(registry_saved, sender=PetitionRecord, dispatch_uid="search.registry_saved")
