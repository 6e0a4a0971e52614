"""After-commit work of search (platform/outbox), recorded by search/signals.py: indexing in bulk
and the repeat check of a new petition copy. Both are idempotent: indexing writes with external
versions, a repeat check replaces the stored one."""

from xinfang.platform.cases.models import Petition
from xinfang.platform.outbox import handlers
from xinfang.search.indexing import index_petitions
from xinfang.search.repeats import check_repeats

INDEX = "search.index"
CHECK_REPEATS = "search.check_repeats"


@handlers.batched(INDEX, size=500, queue="index")
def index(petition_ids: list[str]) -> handlers.Failures:
    """One bulk request for a batch of the office's petitions (deleted ones leave the index)."""
    return index_petitions(petition_ids)


@handlers.each(CHECK_REPEATS, batch=20, queue="checks")
def check(petition_id: str) -> str | None:
    """The stored check of a new petition; "search unavailable" is kept for the officers to see,
    and the check runs again (after back-off) until it is done."""
    petition = Petition.objects.filter(pk=petition_id).first()
    if petition is None:
        return None
    return None if check_repeats(petition).available else "search unavailable"
