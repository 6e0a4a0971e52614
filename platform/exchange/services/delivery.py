"""The delivery receipt of a handoff: stamped once, after the commit, by a Celery task."""

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.exchange.models import Handoff
from xinfang.platform.exchange.services import common
from xinfang.platform.registry.visibility import NotVisible
from xinfang.tenants.context import current_office


def deliver_later(handoff: Handoff) -> None:
    """Queue the receipt (call inside `transaction.on_commit`), in the sender's schema."""
    from xinfang.platform.exchange.tasks import deliver_handoff

    with tenant_context(handoff.sender_office):
        deliver_handoff.delay(str(handoff.pk))


def on_commit_deliver(handoff: Handoff) -> None:
    transaction.on_commit(lambda: deliver_later(handoff))


def handoff_deliver(*, handoff_id) -> bool:
    """After the commit (Celery): stamp the delivery receipt once. Only an office that is a party
    to the handoff may run it. Returns False when it had already been delivered."""
    office = current_office()
    with transaction.atomic():
        handoff = common.lock_handoff(handoff_id)
        if office.pk not in (handoff.sender_office_id, handoff.receiver_office_id):
            raise NotVisible("this handoff does not concern this office")
        common.checkpoint("task")
        if handoff.notified_at is not None:
            return False
        handoff.notified_at = timezone.now()
        handoff.save(update_fields=["notified_at"])
    return True
