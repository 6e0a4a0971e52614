"""After-commit work of handoffs: the delivery receipt, retried, and the reconciliation sweep."""

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.celery import app
from xinfang.platform.errors import NotFound
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.exchange.services.delivery import handoff_deliver
from xinfang.platform.registry.visibility import NotVisible

RECONCILE_AFTER = datetime.timedelta(minutes=2)


@app.task(
    name="exchange.deliver_handoff",
    autoretry_for=(Exception,),
    dont_autoretry_for=(NotVisible, NotFound),
    retry_backoff=True,
    max_retries=8,
)
def deliver_handoff(handoff_id: str) -> bool:
    """Runs in the schema of the office that queued it; idempotent (False if already done)."""
    return handoff_deliver(handoff_id=handoff_id)


@app.task(name="exchange.reconcile_handoffs")
def reconcile_handoffs(limit: int = 500) -> int:
    """Queue delivery again for committed handoffs whose receipt never came (worker down, task
    lost). Safe to run any time: delivery is idempotent."""
    cutoff = timezone.now() - RECONCILE_AFTER
    stale = (
        Handoff.objects.filter(notified_at__isnull=True, created_at__lt=cutoff)
        .select_related("sender_office")
        .order_by("created_at")[:limit]
    )
    count = 0
    for handoff in stale:
        with tenant_context(handoff.sender_office):
            deliver_handoff.delay(str(handoff.pk))
        count += 1
    return count
