"""Periodic work over every office: one dispatcher walks the office table and queues chunks.

Beat starts `dispatch_overdue_scan` once a day (settings.CELERY_BEAT_SCHEDULE). It never sends one
message per office at once: offices are queued in chunks, staggered over a window. Each chunk
scans its offices one after the other (`services.record_overdue`, idempotent per petition and due
date), so a retried or duplicated chunk records nothing twice.
"""

import datetime
import logging

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from xinfang.platform.celery import app, fan_out

logger = logging.getLogger(__name__)


@app.task(name="cases.dispatch_overdue_scan")
def dispatch_overdue_scan(today: str | None = None) -> int:
    """Queue the daily overdue scan for every office, in staggered chunks; returns the chunks."""
    from xinfang.tenants.models import Office

    day = today or timezone.localdate().isoformat()
    connection.set_schema_to_public()
    schemas = list(Office.objects.offices().order_by("code").values_list("schema_name", flat=True))
    return fan_out(scan_overdue_chunk, schemas, day)


@app.task(name="cases.scan_overdue_chunk", autoretry_for=(Exception,), max_retries=3)
def scan_overdue_chunk(schema_names: list[str], today: str) -> dict[str, int]:
    """Record overdue events in each office of the chunk; returns how many per office."""
    from xinfang.platform.cases.services import record_overdue

    day = datetime.date.fromisoformat(today)
    recorded = {}
    for schema_name in schema_names:
        with schema_context(schema_name):
            recorded[schema_name] = record_overdue(today=day)
    logger.info("overdue scan %s: %s", today, recorded)
    return recorded
