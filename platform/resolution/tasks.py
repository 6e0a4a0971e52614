"""The daily resolution scan over every office, in the dispatcher pattern (DESIGN §2): one task
walks the office table and queues chunks staggered over a window; each chunk scans its offices one
after the other (`services.scan_office`, idempotent per office and day), so a retried or repeated
chunk records nothing twice."""

import datetime
import logging

from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.celery import app, fan_out

logger = logging.getLogger(__name__)


@app.task(name="resolution.dispatch_daily_scan")
def dispatch_daily_scan(today: str | None = None) -> int:
    """Queue today's scan for every office, in staggered chunks; returns the number of chunks."""
    from xinfang.tenants.models import Office

    day = today or timezone.localdate().isoformat()
    connection.set_schema_to_public()
    schemas = list(Office.objects.offices().order_by("code").values_list("schema_name", flat=True))
    return fan_out(scan_chunk, schemas, day)


@app.task(name="resolution.scan_chunk", autoretry_for=(Exception,), max_retries=3)
def scan_chunk(schema_names: list[str], today: str) -> dict[str, int]:
    """Scan each office of the chunk; returns the overdue visits and items per office."""
    from xinfang.platform.resolution.services import scan_office
    from xinfang.tenants.models import Office

    day = datetime.date.fromisoformat(today)
    overdue = {}
    connection.set_schema_to_public()
    for office in Office.objects.filter(schema_name__in=schema_names).order_by("code"):
        with tenant_context(office):
            scan = scan_office(today=day)
            overdue[office.schema_name] = scan.visits_overdue + scan.items_overdue
    logger.info("resolution scan %s: %s", today, overdue)
    return overdue
