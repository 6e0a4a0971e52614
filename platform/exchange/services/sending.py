"""Sending a petition to another office: transfer (转送), assignment (交办), escalation (上报),
and a skip-level petition (越级访) transferred down.

One transaction each: the sender's petition locked, its transition (or, for an escalation, its
event: the sender keeps the matter), the ledger row, the receiver's copy; the registry rows of both
copies with their viewers computed once at the end; the delivery receipt after the commit.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import dates, events, workflow
from xinfang.platform.cases.models import DocumentKind, EventKind, OfficeSettings, Petition, Status
from xinfang.platform.cases.services import lock_petition
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.errors import ErrorCode, NotFound
from xinfang.platform.exchange.models import Handoff, HandoffKind, HandoffStatus
from xinfang.platform.exchange.services import common, copies, delivery
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.models import PetitionRecord
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office

ESCALATION_URGENCIES = ("major", "urgent")
_ESCALATE_FROM = (Status.REGISTERED, Status.ROUTED, Status.ACCEPTED, Status.IN_HANDLING)


class SendError(common.HandoffError):
    """The petition cannot be sent there (receiver, deadline, reason or urgency)."""


@dataclass(frozen=True)
class _Send:
    kind: str
    transition: Transition | None  # the sender's workflow transition (None: its state stays)
    roles: tuple[str, ...]


@dataclass(frozen=True)
class _Request:
    """One send, as asked: who, from where, to where, why."""

    officer: Officer
    sender: Office
    receiver: Office
    reason: str
    idempotency_key: str
    due_date: datetime.date | None = None
    urgency: str = ""
    skip_level: bool = False


_TRANSFER = _Send(HandoffKind.TRANSFER, Transition.TRANSFER, (Role.REGISTRAR, Role.LEADER))
_ASSIGN = _Send(HandoffKind.ASSIGN, Transition.ASSIGN_OUT, (Role.REGISTRAR, Role.LEADER))
_ESCALATE = _Send(HandoffKind.ESCALATE, None, (Role.LEADER,))


def petition_transfer(
    *, petition_id, officer, receiver_code: str, reason: str = "", idempotency_key: str = ""
) -> Handoff:
    """Transfer (转送) a registered petition to the competent office, at any level."""
    ensure_role(officer, *_TRANSFER.roles)
    sender = current_office()
    receiver = common.office_by_code(receiver_code)
    request = _Request(officer, sender, receiver, reason, idempotency_key)
    return _send(_TRANSFER, petition_id, request)


def petition_assign_to_office(
    *,
    petition_id,
    officer,
    receiver_code: str,
    due_date: datetime.date,
    reason: str = "",
    idempotency_key: str = "",
) -> Handoff:
    """Assign (交办) a petition to a lower office, which must report the result by `due_date`."""
    ensure_role(officer, *_ASSIGN.roles)
    sender = current_office()
    receiver = common.office_by_code(receiver_code)
    if sender.code not in receiver.ancestor_codes:
        raise SendError(
            "a petition is assigned (交办) only to an office below this one",
            code=ErrorCode.INVALID_RECEIVER,
            field="receiverCode",
        )
    dates.ensure_due_within(due_date, OfficeSettings.current().assign_due_limit_days)
    request = _Request(officer, sender, receiver, reason, idempotency_key, due_date=due_date)
    return _send(_ASSIGN, petition_id, request)


def petition_escalate(
    *, petition_id, officer, reason: str, urgency: str = "major", idempotency_key: str = ""
) -> Handoff:
    """Escalate (上报) a major or urgent matter to the office one level up. The office keeps its
    petition (and its state); the higher office gets its own copy in its inbox and sees this one."""
    ensure_role(officer, *_ESCALATE.roles)
    sender = current_office()
    if urgency not in ESCALATION_URGENCIES:
        raise SendError("urgency is major or urgent", code=ErrorCode.INVALID_INPUT, field="urgency")
    if not reason.strip():
        raise SendError("say why it is escalated", code=ErrorCode.REASON_REQUIRED, field="reason")
    above = sender.parent
    if above is None:
        raise SendError("a province office has no level above it", code=ErrorCode.INVALID_RECEIVER)
    request = _Request(officer, sender, above, reason, idempotency_key, urgency=urgency)
    return _send(_ESCALATE, petition_id, request)


def skip_level_transfer_down(
    *, petition_id, officer, reason: str = "", idempotency_key: str = ""
) -> Handoff:
    """Transfer a skip-level petition (越级访) down to the lower office whose matter it is."""
    ensure_role(officer, *_TRANSFER.roles)
    sender = current_office()
    record = PetitionRecord.objects.filter(petition_id=petition_id, office=sender).first()
    if record is None:
        raise NotFound("no such petition in this office", field="petitionId")
    if not record.is_skip_level or not record.about_office_code:
        raise SendError("this petition is not a skip-level petition", code=ErrorCode.NOT_SKIP_LEVEL)
    receiver = common.office_by_code(record.about_office_code)
    request = _Request(
        officer,
        sender,
        receiver,
        reason or "越级访，转交有权处理机关",
        idempotency_key,
        skip_level=True,
    )
    return _send(_TRANSFER, petition_id, request)


def _send(spec: _Send, petition_id, request: _Request) -> Handoff:
    if request.receiver.pk == request.sender.pk:
        raise SendError(
            "an office cannot hand a petition to itself", code=ErrorCode.INVALID_RECEIVER
        )
    try:
        with transaction.atomic():
            petition = lock_petition(petition_id, field="petitionId")
            earlier = common.replay(
                request.sender,
                request.idempotency_key,
                {
                    "sender_petition_id": petition.pk,
                    "kind": spec.kind,
                    "receiver_office_id": request.receiver.pk,
                    "reason": request.reason,
                    "due_date": request.due_date,
                    "urgency": request.urgency,
                },
            )
            if earlier is not None:
                return earlier
            common.ensure_open(petition, request.sender)
            with registry.viewers_deferred():
                handoff = _send_locked(spec, petition, request)
            delivery.record_delivery(handoff)
    except IntegrityError as exc:
        raise common.duplicate_or_raise(exc) from exc
    return handoff


def _send_locked(spec: _Send, petition: Petition, request: _Request) -> Handoff:
    """The sender's side, the ledger row, the receiver's copy: in this order, on a locked row."""
    now = timezone.now()
    prior_status = petition.status
    _sign_for_incoming(petition, request.officer, at=now)
    _sender_side(spec, petition, request, at=now)
    common.checkpoint("sender_written")
    handoff = Handoff.objects.create(
        kind=spec.kind, matter_id=petition.matter_id, initiator_office=request.sender,
        sender_office=request.sender, receiver_office=request.receiver,
        sender_petition_id=petition.pk, sender_reference=petition.reference,
        sender_prior_status=prior_status, idempotency_key=request.idempotency_key,
        reason=request.reason, urgency=request.urgency,
        identity_withheld=copies.identity_withheld_from(petition, request.receiver),
        created_by=request.officer.username, created_at=now, due_date=request.due_date,
    )  # fmt: skip
    common.checkpoint("ledger_written")
    copies.receive_copy(petition, handoff=handoff, sender=request.sender, receiver=request.receiver)
    return handoff


def _notice(spec: _Send, request: _Request) -> dict:
    """What the petitioner is told (Arts 21–22): which office has the matter now, and that the
    one code still follows it."""
    where = request.receiver.name
    follow = "您可凭原查询码查询办理进展。"
    if spec.kind == HandoffKind.ASSIGN:
        text = f"您的信访事项已交由{where}办理，{where}将依法办理并书面答复您。{follow}"
        return common.document(DocumentKind.ASSIGN_NOTICE, "交办告知书", text)
    why = f"属{where}职责范围，依照逐级信访的规定，" if request.skip_level else ""
    text = (
        f"您的信访事项{why}已转送{where}办理，{where}将自收到之日起15日内决定是否受理"
        f"并书面告知您。{follow}"
    )
    return common.document(DocumentKind.TRANSFER_NOTICE, "转送告知书", text)


def _sign_for_incoming(petition: Petition, officer, *, at) -> None:
    """A received copy sent on (转送 on, 交办 down) was taken on by this office: the handoff it
    came by is signed for (签收), and can no longer be objected to."""
    incoming = (
        Handoff.objects.select_for_update()
        .filter(receiver_petition_id=petition.pk, status=HandoffStatus.PENDING)
        .first()
    )
    if incoming is None:
        return
    incoming.status, incoming.accepted_at = HandoffStatus.ACCEPTED, at
    incoming.save(update_fields=["status", "accepted_at"])
    events.record(
        petition,
        EventKind.HANDOFF_ACCEPTED,
        actor=officer,
        data={"handoff": str(incoming.pk), "sent_on": True},
        at=at,
    )


def _sender_side(spec: _Send, petition: Petition, request: _Request, *, at) -> None:
    """The sender's transition (transfer, assignment) or its event (escalation: the state stays)."""
    data = {"receiver": request.receiver.code, "kind": spec.kind}
    if spec.transition is not None:
        workflow.apply(
            petition,
            spec.transition,
            officer=request.officer,
            note=request.reason,
            data=data | {"document": _notice(spec, request)},
            at=at,
        )
        petition.next_due = request.due_date  # assigned out: the result report is what is due
        common.save(petition)
        return
    if petition.status not in _ESCALATE_FROM:
        raise workflow.WorkflowError(
            f"cannot escalate a petition that is {petition.status}", status=petition.status
        )
    events.record(
        petition, EventKind.ESCALATE_SENT, actor=request.officer, note=request.reason, data=data
    )
    registry.sync(petition)
