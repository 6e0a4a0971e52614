"""Periodic Celery tasks of the search app (beat). Idempotent; they retry, backing off with
jitter, while Elasticsearch or PostgreSQL is unavailable. Indexing and repeat checks after a
change are outbox effects (search/effects.py)."""

from django.db import connection

from xinfang.platform.celery import DATABASE_ERRORS, OUTAGE_RETRY, app
from xinfang.search.client import UNAVAILABLE

SEARCH_OUTAGE_RETRY = {**OUTAGE_RETRY, "autoretry_for": (*DATABASE_ERRORS, *UNAVAILABLE)}


@app.task(
    name="search.refresh_collective_alerts",
    acks_late=True,
    **SEARCH_OUTAGE_RETRY,
)
def refresh_collective_alerts_task() -> dict:
    """Detect collective petitions in every province and refresh the offices' alerts (beat)."""
    from xinfang.search.alerts import refresh_all_provinces

    connection.set_schema_to_public()
    return refresh_all_provinces()


@app.task(name="search.reconcile_index", acks_late=True, **SEARCH_OUTAGE_RETRY)
def reconcile_index_task() -> dict:
    """Index what is missing or stale (after an outage), for every office (beat)."""
    from xinfang.search.indexing import reconcile

    connection.set_schema_to_public()
    report = reconcile()
    return {"checked": report.checked, "indexed": report.indexed, "failed": report.failed}
