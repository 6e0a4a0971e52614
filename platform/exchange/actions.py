"""What an office's officer may do with a handoff now (签收, 异议, 裁决, 报告结果, 出具意见), for
clients' buttons: the role and state rules of the services in services/receiving.py,
assignments.py and reviews.py (tests/exchange/test_actions.py walks a handoff through them)."""

from django.db import models
from django.utils import timezone

from xinfang.platform.accounts.models import Role
from xinfang.platform.exchange.models import Handoff, HandoffKind, HandoffStatus
from xinfang.platform.exchange.services.receiving import OBJECTABLE_KINDS
from xinfang.tenants.models import Office


class HandoffAction(models.TextChoices):
    ACCEPT = "accept", "签收 sign for it (acceptHandoff)"
    OBJECT = "object", "异议 object that this office is not competent (objectToHandoff)"
    DECIDE = "decide", "裁决异议 decide the objection (decideObjection)"
    REPORT = "report", "报告办理结果 report the assignment's result (reportAssignment)"
    ISSUE_OPINION = "issue_opinion", "出具复查复核意见 issue the review opinion"


ROLES = {
    HandoffAction.ACCEPT: (Role.REGISTRAR, Role.LEADER),
    HandoffAction.OBJECT: (Role.LEADER,),
    HandoffAction.DECIDE: (Role.LEADER,),
    HandoffAction.REPORT: (Role.HANDLER, Role.LEADER),
    HandoffAction.ISSUE_OPINION: (Role.LEADER,),
}
_OPEN = (HandoffStatus.PENDING, HandoffStatus.ACCEPTED)


def _state_allows(action: str, handoff: Handoff, office: Office) -> bool:
    received = handoff.receiver_office_id == office.pk
    if action == HandoffAction.ACCEPT:
        return received and handoff.status == HandoffStatus.PENDING
    if action == HandoffAction.OBJECT:
        in_time = not handoff.objection_due or timezone.localdate() <= handoff.objection_due
        return received and handoff.kind in OBJECTABLE_KINDS and handoff.status in _OPEN and in_time
    if action == HandoffAction.DECIDE:
        return (
            handoff.status in (HandoffStatus.OBJECTED, HandoffStatus.DISPUTED)
            and handoff.decider_office_id == office.pk
        )
    if action == HandoffAction.REPORT:
        return received and handoff.kind == HandoffKind.ASSIGN and handoff.status in _OPEN
    return (
        received
        and handoff.kind in (HandoffKind.REVIEW, HandoffKind.RECHECK)
        and handoff.status == HandoffStatus.ACCEPTED
    )


def available_actions(handoff: Handoff, *, office: Office, officer) -> list[HandoffAction]:
    """The steps this officer of `office` may take on the handoff now."""
    if officer is None or not officer.is_authenticated:
        return []
    return [
        action
        for action in HandoffAction
        if officer.has_role(*ROLES[action], Role.ADMIN) and _state_allows(action, handoff, office)
    ]
