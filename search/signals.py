"""When petitions change, index them after the commit (through Celery, in the office's schema).

Connected in `SearchConfig.ready()` (search/apps.py) to `post_save` of the public registry row
(`exchange.PetitionRecord`): every change of a petition is written to its registry row in the same
transaction (`registry.services.sync`), handoffs and jurisdiction changes included, so this one
hook sees them all and queues each change once, however often the change saves the row. A new row
is a newly registered petition copy: its repeat check runs too.

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


class _IndexAfterCommit:
    """The after-commit callback that indexes one petition copy (and checks it for repeats when
    its registry row was created)."""

    def __init__(self, petition_id, schema_name: str, check: bool):
        self.key = (petition_id, schema_name)
        self.check = check

    def __call__(self) -> None:
        petition_id, schema_name = self.key
        enqueue_index(petition_id, schema_name=schema_name, check=self.check)


def _queued_in_this_change(key) -> _IndexAfterCommit | None:
    """The callback already waiting for this copy within the current atomic block, if any.

    A change may save the registry row several times (a handoff syncs the copy it registers, then
    routes it; viewers are recomputed at the end): one indexing must follow it. Django keeps each
    callback with the savepoints open when it was added; one added in this block or deeper still
    includes every savepoint open now (a rolled-back savepoint takes its callbacks with it).
    """
    open_now = set(connection.savepoint_ids)
    for savepoints, callback, _robust in connection.run_on_commit:
        same_copy = isinstance(callback, _IndexAfterCommit) and callback.key == key
        if same_copy and open_now <= set(savepoints):
            return callback
    return None


def registry_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw:
        return
    key = (instance.petition_id, instance.office.schema_name)
    queued = _queued_in_this_change(key)
    if queued is not None:
        queued.check = queued.check or created
        return
    transaction.on_commit(_IndexAfterCommit(*key, check=created), robust=True)


def connect() -> None:
    from django.db.models.signals import post_save

    from xinfang.platform.registry.models import PetitionRecord

    post_save.connect(registry_saved, sender=PetitionRecord, dispatch_uid="search.registry_saved")
