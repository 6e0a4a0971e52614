"""The delivery receipt of a handoff: recorded in the handoff's transaction, stamped once after
the commit by the outbox (platform/exchange/effects.py)."""

from django.db import transaction
from django.utils import timezone

from xinfang.platform.exchange.models import Handoff
from xinfang.platform.exchange.services import common
from xinfang.platform.outbox import services as outbox
from xinfang.platform.registry.visibility import NotVisible
from xinfang.tenants.context import current_office

DELIVER = "exchange.deliver_handoff"


def record_delivery(handoff: Handoff) -> None:
    """The receipt, to be stamped after the commit in the sender's schema (inside the handoff's
    transaction: it exists exactly when the handoff does)."""
    outbox.record(DELIVER, subject_id=handoff.pk, office=handoff.sender_office)


def handoff_deliver(*, handoff_id) -> bool:
    """After the commit (the outbox): stamp the delivery receipt once. Only an office that is a
    party to the handoff may run it. Returns False when it had already been delivered."""
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
