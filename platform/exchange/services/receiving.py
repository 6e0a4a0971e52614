"""The receiving office's answers to a handoff: it signs for it (签收), or objects that it is not
competent (异议, within 5 working days, with reasons); the objection is decided by the sender, and
if the sender disagrees, by their common superior, whose word is final."""

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.accounts.models import Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import deadlines, events, workflow
from xinfang.platform.cases.models import EventKind
from xinfang.platform.cases.services import lock_petition
from xinfang.platform.cases.workflow import LedgerTransition
from xinfang.platform.errors import ErrorCode
from xinfang.platform.exchange.models import Handoff, HandoffKind, HandoffStatus
from xinfang.platform.exchange.services import common, delivery
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.visibility import NotVisible
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office

OBJECTABLE_KINDS = (HandoffKind.TRANSFER, HandoffKind.ASSIGN, HandoffKind.ESCALATE)

# What both parties' copies record for a decision on an objection ("": passed to the superior).
_OBJECTION_EVENTS = {
    "upheld": EventKind.OBJECTION_UPHELD,
    "rejected": EventKind.OBJECTION_REJECTED,
    "": EventKind.OBJECTION_DISPUTED,
}


class ObjectionError(common.HandoffError):
    """The handoff cannot be signed for, objected to or decided now."""


def common_superior(a: Office, b: Office) -> Office | None:
    """The nearest office above both (strictly above each): who decides a disputed objection."""
    common_codes = [code for code in a.ancestor_codes if code in set(b.ancestor_codes)]
    if not common_codes:
        return None
    return Office.objects.offices().filter(code=common_codes[-1]).first()


def _lock(petition_id):
    return lock_petition(petition_id, field="petitionId")


def handoff_accept(*, handoff_id, officer) -> Handoff:
    """The receiver signs for a handoff in its inbox (签收); its copy's acceptance clock runs on."""
    ensure_role(officer, Role.REGISTRAR, Role.LEADER)
    office = current_office()
    with transaction.atomic():
        handoff = common.lock_handoff(handoff_id)
        common.ensure_receiver(handoff, office)
        if handoff.status != HandoffStatus.PENDING:
            raise ObjectionError(f"the handoff is {handoff.status}", code=ErrorCode.INVALID_STATE)
        handoff.status = HandoffStatus.ACCEPTED
        handoff.accepted_at = timezone.now()
        handoff.save(update_fields=["status", "accepted_at"])
        copy = _lock(handoff.receiver_petition_id)
        events.record(
            copy, EventKind.HANDOFF_ACCEPTED, actor=officer, data={"handoff": str(handoff.pk)}
        )
        with tenant_context(handoff.sender_office):
            events.record(
                _lock(handoff.sender_petition_id),
                EventKind.HANDOFF_ACCEPTED_BY_RECEIVER,
                data=common.who(officer, office)
                | {"handoff": str(handoff.pk), "receiver_reference": handoff.receiver_reference},
            )
    return handoff


def _ensure_objectable(handoff: Handoff) -> None:
    if handoff.kind not in OBJECTABLE_KINDS:
        raise ObjectionError("a review request cannot be objected to", code=ErrorCode.INVALID_STATE)
    if handoff.status not in (HandoffStatus.PENDING, HandoffStatus.ACCEPTED):
        raise ObjectionError(f"the handoff is {handoff.status}", code=ErrorCode.INVALID_STATE)
    copy_id = handoff.receiver_petition_id
    if copy_id is not None and Handoff.objects.filter(sender_petition_id=copy_id).exists():
        raise ObjectionError(
            "this office already sent the copy on (转送/交办): it took the matter on",
            code=ErrorCode.INVALID_STATE,
        )
    if handoff.objection_due and timezone.localdate() > handoff.objection_due:
        raise ObjectionError(
            f"the 5 working days to object ended on {handoff.objection_due.isoformat()}",
            code=ErrorCode.NOT_COMPETENT_DEADLINE_PASSED,
            deadline=handoff.objection_due.isoformat(),
        )


def handoff_object(*, handoff_id, officer, reason: str) -> Handoff:
    """Object (异议) that this office is not competent: within 5 working days of receipt, with
    reasons. The sender decides; if it disagrees, their common superior does."""
    ensure_role(officer, Role.LEADER)
    office = current_office()
    if not reason.strip():
        raise ObjectionError(
            "an objection needs its reasons", code=ErrorCode.REASON_REQUIRED, field="reason"
        )
    with transaction.atomic():
        handoff = common.lock_handoff(handoff_id)
        common.ensure_receiver(handoff, office)
        _ensure_objectable(handoff)
        handoff.status = HandoffStatus.OBJECTED
        handoff.objection_reason = reason.strip()
        handoff.objected_at = timezone.now()
        handoff.decider_office = handoff.sender_office
        handoff.save(update_fields=["status", "objection_reason", "objected_at", "decider_office"])
        events.record(
            _lock(handoff.receiver_petition_id),
            EventKind.OBJECTION_RAISED,
            actor=officer,
            note=reason,
            data={"handoff": str(handoff.pk)},
        )
        with tenant_context(handoff.sender_office):
            events.record(
                _lock(handoff.sender_petition_id),
                EventKind.OBJECTION_RECEIVED,
                note=reason,
                data=common.who(officer, office) | {"handoff": str(handoff.pk)},
            )
        delivery.record_delivery(handoff)
    return handoff


def objection_decide(*, handoff_id, officer, uphold: bool, note: str = "") -> Handoff:
    """Decide an objection. The sender agreeing (uphold) takes the petition back; the sender
    disagreeing passes the decision to the common superior (or, with none, keeps the receiver
    on it); the common superior's word is final."""
    ensure_role(officer, Role.LEADER)
    office = current_office()
    with transaction.atomic():
        handoff = common.lock_handoff(handoff_id)
        if office.pk not in (
            handoff.sender_office_id,
            handoff.receiver_office_id,
            handoff.decider_office_id,
        ):
            raise NotVisible("this handoff does not concern this office")
        if (
            handoff.status not in (HandoffStatus.OBJECTED, HandoffStatus.DISPUTED)
            or handoff.decider_office_id != office.pk
        ):
            raise ObjectionError(
                "this office does not decide this objection now", code=ErrorCode.NOT_DECIDER
            )
        data = common.who(officer, office) | {"handoff": str(handoff.pk)}
        superior = _decide(handoff, uphold=uphold, data=data, note=note)
        if superior is not None:
            data["decider"] = superior.code
        for party, petition_id in (
            (handoff.sender_office, handoff.sender_petition_id),
            (handoff.receiver_office, handoff.receiver_petition_id),
        ):
            with tenant_context(party):
                events.record(
                    _lock(petition_id),
                    _OBJECTION_EVENTS[handoff.decision],
                    actor=officer if party.pk == office.pk else None,
                    note=note,
                    data=data,
                )
        registry.refresh_viewers_of(handoff.sender_petition_id, handoff.receiver_petition_id)
        delivery.record_delivery(handoff)
    return handoff


def _decide(handoff: Handoff, *, uphold: bool, data: dict, note: str) -> Office | None:
    """Apply the decision to the ledger row; the superior it now passes to, if it does."""
    now = timezone.now()
    superior = None
    if uphold:
        _return_to_sender(handoff, data=data, note=note)
        handoff.status, handoff.decision = HandoffStatus.RETURNED, "upheld"
    elif handoff.status == HandoffStatus.OBJECTED and (
        superior := common_superior(handoff.sender_office, handoff.receiver_office)
    ):
        handoff.status, handoff.decider_office = HandoffStatus.DISPUTED, superior
    else:
        handoff.status, handoff.decision = HandoffStatus.ACCEPTED, "rejected"
        handoff.accepted_at = handoff.accepted_at or now
    if handoff.decision:
        handoff.decided_at, handoff.decision_note = now, note
    handoff.save()
    return superior


def _return_to_sender(handoff: Handoff, *, data: dict, note: str) -> None:
    """The objection is upheld: the receiver's copy leaves it, the sender's petition is back
    where it was before the handoff, with its deadline."""
    with tenant_context(handoff.receiver_office):
        copy = _lock(handoff.receiver_petition_id)
        workflow.apply(copy, LedgerTransition.RETURN_TO_SENDER, officer=None, note=note, data=data)
        copy.next_due = None
        common.save(copy)
    with tenant_context(handoff.sender_office):
        original = _lock(handoff.sender_petition_id)
        if original.status in workflow.step(LedgerTransition.TAKE_BACK).sources:
            # a transfer or assignment: back to where it was (escalations keep their state)
            workflow.apply(original, LedgerTransition.TAKE_BACK, officer=None, note=note, data=data)
            original.next_due = deadlines.next_due(original)
            common.save(original)
        else:
            events.record(original, EventKind.RETURNED_BY_RECEIVER, note=note, data=data)
