"""The result report of an assignment (交办): the assigned office reports what it did, and the
assigning office learns whether it came in time."""

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.accounts.models import Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import events
from xinfang.platform.cases.models import EventKind
from xinfang.platform.cases.services import lock_petition
from xinfang.platform.errors import ErrorCode
from xinfang.platform.exchange.models import Handoff, HandoffKind, HandoffStatus
from xinfang.platform.exchange.services import common, delivery
from xinfang.tenants.context import current_office


class ReportError(common.HandoffError):
    """There is nothing to report, or the report is empty."""


def assignment_report(*, handoff_id, officer, result: str) -> Handoff:
    """The assigned office reports the result (办理结果报告) to the office that assigned it."""
    ensure_role(officer, Role.HANDLER, Role.LEADER)
    office = current_office()
    if not result.strip():
        raise ReportError("the report needs its result", code=ErrorCode.REQUIRED, field="result")
    with transaction.atomic():
        handoff = common.lock_handoff(handoff_id)
        common.ensure_receiver(handoff, office)
        if handoff.kind != HandoffKind.ASSIGN or handoff.status not in (
            HandoffStatus.PENDING,
            HandoffStatus.ACCEPTED,
        ):
            raise ReportError(
                "there is no assignment awaiting a report", code=ErrorCode.INVALID_STATE
            )
        now = timezone.now()
        handoff.status, handoff.result, handoff.result_at = HandoffStatus.REPORTED, result, now
        handoff.accepted_at = handoff.accepted_at or now
        handoff.save(update_fields=["status", "result", "result_at", "accepted_at"])
        events.record(
            lock_petition(handoff.receiver_petition_id, field="petitionId"),
            EventKind.ASSIGNMENT_REPORTED,
            actor=officer,
            note=result,
            data={"handoff": str(handoff.pk)},
        )
        with tenant_context(handoff.sender_office):
            original = lock_petition(handoff.sender_petition_id, field="petitionId")
            on_time = handoff.due_date is None or timezone.localdate(now) <= handoff.due_date
            events.record(
                original,
                EventKind.ASSIGNMENT_RESULT_RECEIVED,
                note=result,
                public=True,
                data=common.who(officer, office) | {"handoff": str(handoff.pk), "on_time": on_time},
            )
            original.next_due = None
            common.save(original)
        delivery.record_delivery(handoff)
    return handoff
