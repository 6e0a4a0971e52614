"""Periodic supervision work: overdue orders, and metric rollups dispatched in staggered chunks."""

import datetime

from django.utils import timezone

from xinfang.platform.celery import app, fan_out
from xinfang.platform.supervision import services
from xinfang.tenants.models import Office

STAGGER_SECONDS = 30


@app.task(name="supervision.mark_overdue_orders")
def mark_overdue_orders() -> int:
    return services.orders_mark_overdue()


@app.task(name="supervision.rollup_metrics")
def rollup_metrics(month: str = "") -> int:
    """Dispatcher: walk the office table and queue one chunk of offices per message, staggered;
    idempotent per (office, month)."""
    day = datetime.date.fromisoformat(month) if month else timezone.localdate()
    ids = list(Office.objects.offices().order_by("pk").values_list("pk", flat=True))
    start = services.month_start(day).isoformat()
    return fan_out(rollup_metrics_chunk, ids, start, step=STAGGER_SECONDS)


@app.task(
    name="supervision.rollup_metrics_chunk",
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
