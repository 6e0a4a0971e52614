"""Periodic supervision work: overdue orders, and metric rollups dispatched in staggered chunks."""

import datetime

from django.utils import timezone

from xinfang.platform.celery import app, queue, staggered
from xinfang.platform.supervision import services
from xinfang.tenants.models import Office

CHUNK = 50
STAGGER_SECONDS = 30


@app.task(name="supervision.mark_overdue_orders")
def mark_overdue_orders() -> int:
    return services.orders_mark_overdue()


@app.task(name="supervision.rollup_metrics", queue=queue("scans"))
def rollup_metrics(month: str = "") -> int:
    """Dispatcher: walk the office table and queue one chunk of offices per message, staggered;
    idempotent per (office, month)."""
    day = datetime.date.fromisoformat(month) if month else timezone.localdate()
    ids = list(Office.objects.offices().order_by("pk").values_list("pk", flat=True))
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    start = services.month_start(day).isoformat()
    for chunk, countdown in zip(chunks, staggered(len(chunks), step=STAGGER_SECONDS), strict=True):
        rollup_metrics_chunk.apply_async(args=[chunk, start], countdown=countdown)
    return len(chunks)


@app.task(
    name="supervision.rollup_metrics_chunk",
    queue=queue("scans"),
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def rollup_metrics_chunk(office_ids: list[int], month: str) -> int:
    day = datetime.date.fromisoformat(month)
    offices = Office.objects.filter(pk__in=office_ids)
    for office in offices:
        services.metrics_compute(office=office, month=day)
    return len(office_ids)
