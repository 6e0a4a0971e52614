"""Celery tasks of the search app. They run in the schema of the office that queued them
(tenant-schemas-celery), are idempotent, and retry while Elasticsearch is unavailable."""

import logging

from django.db import connection

from xinfang.platform.celery import app
from xinfang.search.client import UNAVAILABLE

logger = logging.getLogger(__name__)


@app.task(
    name="search.index_petition",
    bind=True,
    autoretry_for=UNAVAILABLE,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
    acks_late=True,
)
def index_petition_task(self, petition_id: str) -> str:
    """Index one petition of the office (external versioning: retries and repeats are harmless)."""
    from xinfang.search.indexing import index_petition

    return index_petition(petition_id)


@app.task(name="search.check_repeats", acks_late=True)
def check_repeats_task(petition_id: str) -> str:
    """The repeat check of a newly registered petition (stored for the office's officers)."""
    from xinfang.platform.cases.models import Petition
    from xinfang.search.repeats import check_repeats

    petition = Petition.objects.filter(pk=petition_id).first()
    if petition is None:
        return "absent"
    result = check_repeats(petition)
    return f"{len(result.candidates)} candidates" if result.available else "unavailable"


@app.task(name="search.refresh_collective_alerts", acks_late=True)
def refresh_collective_alerts_task() -> dict:
    """Detect collective petitions in every province and refresh the offices' alerts (beat)."""
    from xinfang.search.alerts import refresh_all_provinces

    connection.set_schema_to_public()
    return refresh_all_provinces()


@app.task(name="search.reconcile_index", acks_late=True)
def reconcile_index_task() -> dict:
    """Index what is missing or stale (after an outage), for every office (beat)."""
    from xinfang.search.indexing import reconcile

    connection.set_schema_to_public()
    report = reconcile()
    return {"checked": report.checked, "indexed": report.indexed, "failed": report.failed}
