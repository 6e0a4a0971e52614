"""Handoffs between offices: every state change that crosses from one office to another.

转送 transfer, 交办 assignment, 上报 escalation, 异议 objection, 复查 review and 复核 re-review.

All offices share one PostgreSQL database, so each service is ONE transaction spanning the
sender's schema (its petition locked, its transition and event), the public ledger (`Handoff`)
and the receiver's schema (its own copy of the petition: same `matter_id`, its own reference
number, the 15-day acceptance deadline started), with the registry rows of both copies synced and
their viewers recomputed by `tenants/jurisdiction.py`. It happens wholly or not at all. Side
effects (the delivery receipt, search indexing) wait for the commit.

A retried request is harmless: an idempotency key is unique per initiating office in the ledger,
and the sender's petition row lock serialises concurrent handoffs of the same petition.
"""

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.accounts.models import Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import deadlines, workflow
from xinfang.platform.cases.models import EventKind, Petition, PetitionEvent, Status
from xinfang.platform.cases.services import PetitionerInput, PetitionInput, petition_register
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.errors import ErrorCode, NotFound, PermissionDenied, ServiceError
from xinfang.platform.exchange import registry
from xinfang.platform.exchange.models import (
    Handoff,
    HandoffKind,
    HandoffStatus,
    PetitionRecord,
    TerminatedMatter,
)
from xinfang.tenants import jurisdiction
from xinfang.tenants.models import Office

OBJECTION_WORKING_DAYS = 5
WITHHELD_NAME = "（检举人身份保密）"
ESCALATION_URGENCIES = ("major", "urgent")


class HandoffError(ServiceError):
    code = ErrorCode.INVALID_HANDOFF


class NotVisible(PermissionDenied):
    """The office may not see (or act on) this petition or handoff."""

    code = ErrorCode.NOT_VISIBLE


class MatterTerminated(ServiceError):
    code = ErrorCode.MATTER_TERMINATED


# --- the test seam ------------------------------------------------------------------------------


def _checkpoint(step: str) -> None:
    """A named point inside a handoff: "sender_written", "ledger_written", "receiver_copy",
    "task". Does nothing; the atomicity tests make it raise to prove all-or-nothing."""


# --- helpers ------------------------------------------------------------------------------------


def _current_office() -> Office:
    office = connection.tenant
    if not isinstance(office, Office) or office.kind != Office.Kind.OFFICE:
        raise PermissionDenied("this needs an office host", code=ErrorCode.NOT_AN_OFFICE)
    return office


def _office_by_code(code: str, *, field: str = "receiver") -> Office:
    office = Office.objects.offices().filter(code=code).first()
    if office is None:
        raise NotFound(f"no petition office with code {code}", field=field)
    return office


def _lock_petition(petition_id) -> Petition:
    """The petition in the current schema, row-locked until the transaction ends."""
    try:
        return Petition.objects.select_for_update().get(pk=petition_id)
    except (Petition.DoesNotExist, ValueError, TypeError):
        raise NotFound("no such petition in this office", field="petitionId") from None


def _lock_handoff(handoff_id) -> Handoff:
    try:
        return Handoff.objects.select_for_update().get(pk=handoff_id)
    except (Handoff.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound("no such handoff", field="handoffId") from None


def _who(officer, office: Office) -> dict:
    return {"office": office.code, "officer": getattr(officer, "username", "")}


def _event(
    petition: Petition, kind: EventKind, *, actor=None, note="", data=None, public=False, at=None
):
    """An event in the current schema's log (`actor` only when they belong to this office)."""
    return PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        at=at or timezone.now(),
        actor=actor,
        note=note,
        public=public,
        data=data or {},
    )


def _set_status(
    petition: Petition, to_status: str, kind: EventKind, *, actor=None, note="", data=None
):
    """A state change the office's own workflow table has no row for (it comes from another
    office: a returned transfer, a received copy, an opinion issued through the ledger)."""
    from_status = petition.status
    petition.status = to_status
    petition.version += 1
    PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        at=timezone.now(),
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public=True,
        data=data or {},
    )


def _save(petition: Petition, *fields: str) -> PetitionRecord:
    petition.save(update_fields=workflow.changed_fields(*fields))
    return registry.sync(petition)


def _refresh_viewers(*petition_ids) -> None:
    for record in PetitionRecord.objects.select_related("office").filter(
        petition_id__in=[p for p in petition_ids if p]
    ):
        jurisdiction.refresh_viewers(record)


def _replay(initiator: Office, key: str, *, sender_petition_id, kind: str) -> Handoff | None:
    """The handoff an earlier attempt with the same idempotency key created, if any."""
    if not key:
        return None
    earlier = Handoff.objects.filter(initiator_office=initiator, idempotency_key=key).first()
    if earlier is None:
        return None
    if earlier.sender_petition_id != sender_petition_id or earlier.kind != kind:
        raise HandoffError(
            "this idempotency key was already used for another request",
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
            field="idempotencyKey",
        )
    return earlier


def _duplicate(exc: IntegrityError) -> HandoffError:
    return HandoffError(
        "this petition already has a handoff under way", code=ErrorCode.DUPLICATE_HANDOFF
    )


_HANDOFF_CONSTRAINTS = ("handoff_idempotency_key_uniq", "handoff_one_open_per_petition")


def _is_ours(exc: IntegrityError) -> bool:
    return any(name in str(exc) for name in _HANDOFF_CONSTRAINTS)


def region_names(office: Office) -> set[str]:
    """How people name the office's area: "杭州市西湖区" and "西湖区" for 杭州市西湖区信访局."""
    area = re.sub(r"(人民政府)?信访(局|办|办公室|委员会)?$", "", office.name.strip())
    units = re.findall(r"[^省市区县旗州盟]+[省市区县旗州盟]", area)
    return {name for name in (area, *(units[-1:])) if len(name) >= 2}


def identity_withheld_from(petition: Petition, receiver: Office) -> bool:
    """An accusation (检举控告) never reaches the office or body it accuses with the reporter's
    identity: true when the accused body names the receiving office or its area."""
    if not petition.is_accusation or not petition.accused_body:
        return False
    accused = petition.accused_body
    return receiver.code in accused or any(name in accused for name in region_names(receiver))


def _working_days_after(calendar: deadlines.OfficeCalendar, start: datetime.date, days: int):
    day, left = start, days
    while left:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def common_superior(a: Office, b: Office) -> Office | None:
    """The nearest office above both (strictly above each): who decides a disputed objection."""
    common = [code for code in a.ancestor_codes if code in set(b.ancestor_codes)]
    if not common:
        return None
    return Office.objects.offices().filter(code=common[-1]).first()


# --- termination (终结) ---------------------------------------------------------------------------


def ensure_not_terminated(
    *,
    matter_id: uuid.UUID | None = None,
    province_code: str = "",
    category: str = "",
    person_keys: Iterable[str] = (),
) -> None:
    """Refuse a matter closed by a re-review opinion: the same matter anywhere, or the same
    person with the same category anywhere in the province. For registrations too."""
    keys = [k for k in person_keys if k]
    found = None
    if matter_id is not None:
        found = TerminatedMatter.objects.filter(matter_id=matter_id).first()
    if found is None and keys and province_code and category:
        found = TerminatedMatter.objects.filter(
            province_code=province_code, category=category, person_keys__overlap=keys
        ).first()
    if found is not None:
        raise MatterTerminated(
            f"this matter was terminated (终结) after re-review on "
            f"{timezone.localdate(found.terminated_at).isoformat()}: the same facts and reasons "
            "are no longer accepted",
            terminated_on=timezone.localdate(found.terminated_at).isoformat(),
        )


def _ensure_open(petition: Petition, office: Office) -> None:
    ensure_not_terminated(
        matter_id=petition.matter_id,
        province_code=office.province_code,
        category=petition.category,
        person_keys=petition.petitioners.values_list("person_key", flat=True),
    )


# --- sending: transfer, assignment, escalation ---------------------------------------------------


@dataclass(frozen=True)
class _Send:
    kind: str
    transition: Transition | None  # the sender's workflow transition (None: its state stays)
    roles: tuple[str, ...]


_TRANSFER = _Send(HandoffKind.TRANSFER, Transition.TRANSFER, (Role.REGISTRAR, Role.LEADER))
_ASSIGN = _Send(HandoffKind.ASSIGN, Transition.ASSIGN_OUT, (Role.REGISTRAR, Role.LEADER))
_ESCALATE = _Send(HandoffKind.ESCALATE, None, (Role.LEADER,))
_ESCALATE_FROM = (Status.REGISTERED, Status.ROUTED, Status.ACCEPTED, Status.IN_HANDLING)


def petition_transfer(
    *, petition_id, officer, receiver_code: str, reason: str = "", idempotency_key: str = ""
) -> Handoff:
    """Transfer (转送) a registered petition to the competent office, at any level."""
    ensure_role(officer, *_TRANSFER.roles)
    sender = _current_office()
    receiver = _office_by_code(receiver_code)
    return _send(
        _TRANSFER,
        petition_id=petition_id,
        officer=officer,
        sender=sender,
        receiver=receiver,
        reason=reason,
        idempotency_key=idempotency_key,
    )


def petition_assign(
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
    sender = _current_office()
    receiver = _office_by_code(receiver_code)
    if sender.code not in receiver.ancestor_codes:
        raise HandoffError(
            "a petition is assigned (交办) only to an office below this one",
            code=ErrorCode.INVALID_RECEIVER,
            field="receiverCode",
        )
    if due_date <= timezone.localdate():
        raise HandoffError(
            "the report deadline must lie ahead", code=ErrorCode.INVALID_DUE_DATE, field="dueDate"
        )
    return _send(
        _ASSIGN,
        petition_id=petition_id,
        officer=officer,
        sender=sender,
        receiver=receiver,
        reason=reason,
        idempotency_key=idempotency_key,
        due_date=due_date,
    )


def petition_escalate(
    *, petition_id, officer, reason: str, urgency: str = "major", idempotency_key: str = ""
) -> Handoff:
    """Escalate (上报) a major or urgent matter to the office one level up. The office keeps its
    petition (and its state); the higher office gets its own copy in its inbox and sees this one."""
    ensure_role(officer, *_ESCALATE.roles)
    sender = _current_office()
    if urgency not in ESCALATION_URGENCIES:
        raise HandoffError(
            "urgency is major or urgent", code=ErrorCode.INVALID_INPUT, field="urgency"
        )
    if not reason.strip():
        raise HandoffError(
            "say why it is escalated", code=ErrorCode.REASON_REQUIRED, field="reason"
        )
    if sender.parent_id is None:
        raise HandoffError(
            "a province office has no level above it", code=ErrorCode.INVALID_RECEIVER
        )
    return _send(
        _ESCALATE,
        petition_id=petition_id,
        officer=officer,
        sender=sender,
        receiver=sender.parent,
        reason=reason,
        idempotency_key=idempotency_key,
        urgency=urgency,
    )


def skip_level_transfer_down(
    *, petition_id, officer, reason: str = "", idempotency_key: str = ""
) -> Handoff:
    """Transfer a skip-level petition (越级访) down to the lower office whose matter it is."""
    ensure_role(officer, *_TRANSFER.roles)
    sender = _current_office()
    record = PetitionRecord.objects.filter(petition_id=petition_id, office=sender).first()
    if record is None:
        raise NotFound("no such petition in this office", field="petitionId")
    if not record.is_skip_level or not record.about_office_code:
        raise HandoffError(
            "this petition is not a skip-level petition", code=ErrorCode.NOT_SKIP_LEVEL
        )
    receiver = _office_by_code(record.about_office_code)
    return _send(
        _TRANSFER,
        petition_id=petition_id,
        officer=officer,
        sender=sender,
        receiver=receiver,
        reason=reason or "越级访，转交有权处理机关",
        idempotency_key=idempotency_key,
    )


def _send(
    spec: _Send,
    *,
    petition_id,
    officer,
    sender: Office,
    receiver: Office,
    reason: str,
    idempotency_key: str,
    due_date: datetime.date | None = None,
    urgency: str = "",
) -> Handoff:
    if receiver.pk == sender.pk:
        raise HandoffError(
            "an office cannot hand a petition to itself", code=ErrorCode.INVALID_RECEIVER
        )
    try:
        with transaction.atomic():
            petition = _lock_petition(petition_id)
            earlier = _replay(
                sender, idempotency_key, sender_petition_id=petition.pk, kind=spec.kind
            )
            if earlier is not None:
                return earlier
            _ensure_open(petition, sender)
            with registry.viewers_deferred():
                handoff = _send_locked(
                    spec, petition, officer=officer, sender=sender, receiver=receiver,
                    reason=reason, idempotency_key=idempotency_key, due_date=due_date,
                    urgency=urgency,
                )  # fmt: skip
            transaction.on_commit(lambda: _deliver_later(handoff))
    except IntegrityError as exc:
        if _is_ours(exc):
            raise _duplicate(exc) from exc
        raise
    return handoff


def _send_locked(
    spec: _Send, petition: Petition, *, officer, sender, receiver, reason, idempotency_key,
    due_date, urgency,
) -> Handoff:  # fmt: skip
    """The sender's side, the ledger row, the receiver's copy: in this order, on a locked row."""
    now = timezone.now()
    prior_status = petition.status
    data = {"receiver": receiver.code, "kind": spec.kind}
    if spec.transition is not None:
        workflow.apply(petition, spec.transition, officer=officer, note=reason, data=data, at=now)
        petition.next_due = due_date  # assigned out: the result report is what is due
        _save(petition)
    else:
        if petition.status not in _ESCALATE_FROM:
            raise workflow.WorkflowError(
                f"cannot escalate a petition that is {petition.status}", status=petition.status
            )
        _event(petition, EventKind.ESCALATE_SENT, actor=officer, note=reason, data=data)
        registry.sync(petition)
    _checkpoint("sender_written")
    handoff = Handoff.objects.create(
        kind=spec.kind, matter_id=petition.matter_id, initiator_office=sender,
        sender_office=sender, receiver_office=receiver, sender_petition_id=petition.pk,
        sender_reference=petition.reference, sender_prior_status=prior_status,
        idempotency_key=idempotency_key, reason=reason, urgency=urgency,
        identity_withheld=identity_withheld_from(petition, receiver),
        created_by=officer.username, created_at=now, due_date=due_date,
    )  # fmt: skip
    _checkpoint("ledger_written")
    _receive_copy(petition, handoff=handoff, sender=sender, receiver=receiver)
    return handoff


def _receive_copy(
    petition: Petition,
    *,
    handoff: Handoff,
    sender: Office,
    receiver: Office,
    status: str = Status.ROUTED,
    handling_due: datetime.date | None = None,
) -> Petition:
    """The receiver's own copy: registered through the cases service in the receiver's schema,
    then routed to it with its acceptance deadline (or accepted, for a review request)."""
    if handoff.identity_withheld:
        people = [PetitionerInput(name=WITHHELD_NAME)]
    else:
        with tenant_context(sender):
            people = [
                PetitionerInput(
                    name=p.name,
                    id_number=p.id_number,
                    phone=p.phone,
                    address=p.address,
                    is_representative=p.is_representative,
                )
                for p in petition.petitioners.all()
            ]
    data = PetitionInput(
        channel=petition.channel,
        category=petition.category,
        place=petition.place,
        content=petition.content,
        petitioners=people,
        request=petition.request,
        place_code=petition.place_code,
        accused_body=petition.accused_body,
        is_accusation=petition.is_accusation,
        is_repeat=petition.is_repeat,
        repeat_of_matter=petition.repeat_of_matter,
        matter_id=petition.matter_id,
        source_office_code=sender.code,
    )
    now = timezone.now()
    today = timezone.localdate(now)
    with tenant_context(receiver):
        copy = petition_register(data=data, officer=None).petition
        _checkpoint("receiver_copy")
        calendar = deadlines.OfficeCalendar.load()
        copy.is_collective = petition.is_collective
        copy.accept_due = deadlines.accept_due(calendar, start=today)
        if status == Status.ACCEPTED:
            copy.accepted_at = now
            copy.handling_due = handling_due
        _set_status(
            copy,
            status,
            EventKind.RECEIVED,
            data={
                "handoff": str(handoff.pk),
                "kind": handoff.kind,
                "from": sender.code,
                "from_reference": petition.reference,
                "identity_withheld": handoff.identity_withheld,
            },
        )
        copy.next_due = deadlines.next_due(copy)
        copy.save(
            update_fields=workflow.changed_fields(
                "is_collective", "accept_due", "accepted_at", "handling_due"
            )
        )
        registry.sync(copy)
        handoff.receiver_petition_id = copy.pk
        handoff.receiver_reference = copy.reference
        handoff.accept_due = copy.accept_due
        handoff.objection_due = _working_days_after(calendar, today, OBJECTION_WORKING_DAYS)
        handoff.save(
            update_fields=[
                "receiver_petition_id",
                "receiver_reference",
                "accept_due",
                "objection_due",
            ]
        )
    return copy


def _deliver_later(handoff: Handoff) -> None:
    from xinfang.platform.exchange.tasks import deliver_handoff

    with tenant_context(handoff.sender_office):
        deliver_handoff.delay(str(handoff.pk))


def handoff_deliver(*, handoff_id) -> bool:
    """After the commit (Celery): stamp the delivery receipt once. Only an office that is a party
    to the handoff may run it. Returns False when it had already been delivered."""
    office = _current_office()
    with transaction.atomic():
        handoff = _lock_handoff(handoff_id)
        if office.pk not in (handoff.sender_office_id, handoff.receiver_office_id):
            raise NotVisible("this handoff does not concern this office")
        _checkpoint("task")
        if handoff.notified_at is not None:
            return False
        handoff.notified_at = timezone.now()
        handoff.save(update_fields=["notified_at"])
    return True


# --- the receiver: accept, object, report -------------------------------------------------------


def _for_receiver(handoff: Handoff, office: Office) -> None:
    if handoff.receiver_office_id != office.pk:
        raise NotVisible("this handoff was not sent to this office")


def handoff_accept(*, handoff_id, officer) -> Handoff:
    """The receiver signs for a handoff in its inbox (签收); its copy's acceptance clock runs on."""
    ensure_role(officer, Role.REGISTRAR, Role.LEADER)
    office = _current_office()
    with transaction.atomic():
        handoff = _lock_handoff(handoff_id)
        _for_receiver(handoff, office)
        if handoff.status != HandoffStatus.PENDING:
            raise HandoffError(f"the handoff is {handoff.status}", code=ErrorCode.INVALID_STATE)
        handoff.status = HandoffStatus.ACCEPTED
        handoff.accepted_at = timezone.now()
        handoff.save(update_fields=["status", "accepted_at"])
        copy = _lock_petition(handoff.receiver_petition_id)
        _event(copy, EventKind.HANDOFF_ACCEPTED, actor=officer, data={"handoff": str(handoff.pk)})
        with tenant_context(handoff.sender_office):
            original = _lock_petition(handoff.sender_petition_id)
            _event(
                original,
                EventKind.HANDOFF_ACCEPTED_BY_RECEIVER,
                data=_who(officer, office)
                | {"handoff": str(handoff.pk), "receiver_reference": handoff.receiver_reference},
            )
    return handoff


def handoff_object(*, handoff_id, officer, reason: str) -> Handoff:
    """Object (异议) that this office is not competent: within 5 working days of receipt, with
    reasons. The sender decides; if it disagrees, their common superior does."""
    ensure_role(officer, Role.LEADER)
    office = _current_office()
    if not reason.strip():
        raise HandoffError(
            "an objection needs its reasons", code=ErrorCode.REASON_REQUIRED, field="reason"
        )
    with transaction.atomic():
        handoff = _lock_handoff(handoff_id)
        _for_receiver(handoff, office)
        if handoff.kind not in (HandoffKind.TRANSFER, HandoffKind.ASSIGN, HandoffKind.ESCALATE):
            raise HandoffError(
                "a review request cannot be objected to", code=ErrorCode.INVALID_STATE
            )
        if handoff.status not in (HandoffStatus.PENDING, HandoffStatus.ACCEPTED):
            raise HandoffError(f"the handoff is {handoff.status}", code=ErrorCode.INVALID_STATE)
        today = timezone.localdate()
        if handoff.objection_due and today > handoff.objection_due:
            raise HandoffError(
                f"the 5 working days to object ended on {handoff.objection_due.isoformat()}",
                code=ErrorCode.NOT_COMPETENT_DEADLINE_PASSED,
                deadline=handoff.objection_due.isoformat(),
            )
        handoff.status = HandoffStatus.OBJECTED
        handoff.objection_reason = reason.strip()
        handoff.objected_at = timezone.now()
        handoff.decider_office = handoff.sender_office
        handoff.save(update_fields=["status", "objection_reason", "objected_at", "decider_office"])
        copy = _lock_petition(handoff.receiver_petition_id)
        _event(
            copy,
            EventKind.OBJECTION_RAISED,
            actor=officer,
            note=reason,
            data={"handoff": str(handoff.pk)},
        )
        with tenant_context(handoff.sender_office):
            original = _lock_petition(handoff.sender_petition_id)
            _event(
                original,
                EventKind.OBJECTION_RECEIVED,
                note=reason,
                data=_who(officer, office) | {"handoff": str(handoff.pk)},
            )
        transaction.on_commit(lambda: _deliver_later(handoff))
    return handoff


def objection_decide(*, handoff_id, officer, uphold: bool, note: str = "") -> Handoff:
    """Decide an objection. The sender agreeing (uphold) takes the petition back; the sender
    disagreeing passes the decision to the common superior (or, with none, keeps the receiver
    on it); the common superior's word is final."""
    ensure_role(officer, Role.LEADER)
    office = _current_office()
    with transaction.atomic():
        handoff = _lock_handoff(handoff_id)
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
            raise HandoffError(
                "this office does not decide this objection now", code=ErrorCode.NOT_DECIDER
            )
        now = timezone.now()
        superior = None
        data = _who(officer, office) | {"handoff": str(handoff.pk)}
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
        kind = _OBJECTION_EVENTS[handoff.decision]
        if superior is not None:
            data["decider"] = superior.code
        for party, petition_id in (
            (handoff.sender_office, handoff.sender_petition_id),
            (handoff.receiver_office, handoff.receiver_petition_id),
        ):
            with tenant_context(party):
                petition = _lock_petition(petition_id)
                _event(
                    petition,
                    kind,
                    actor=officer if party.pk == office.pk else None,
                    note=note,
                    data=data,
                )
        _refresh_viewers(handoff.sender_petition_id, handoff.receiver_petition_id)
        transaction.on_commit(lambda: _deliver_later(handoff))
    return handoff


# What both parties' copies record for a decision on an objection ("": passed to the superior).
_OBJECTION_EVENTS = {
    "upheld": EventKind.OBJECTION_UPHELD,
    "rejected": EventKind.OBJECTION_REJECTED,
    "": EventKind.OBJECTION_DISPUTED,
}


def _return_to_sender(handoff: Handoff, *, data: dict, note: str) -> None:
    """The objection is upheld: the receiver's copy leaves it, the sender's petition is back
    where it was before the handoff, with its deadline."""
    with tenant_context(handoff.receiver_office):
        copy = _lock_petition(handoff.receiver_petition_id)
        _set_status(copy, Status.TRANSFERRED, EventKind.RETURNED_TO_SENDER, note=note, data=data)
        copy.next_due = None
        _save(copy)
    with tenant_context(handoff.sender_office):
        original = _lock_petition(handoff.sender_petition_id)
        if original.status != handoff.sender_prior_status:
            _set_status(
                original,
                handoff.sender_prior_status,
                EventKind.RETURNED_BY_RECEIVER,
                note=note,
                data=data,
            )
            original.next_due = deadlines.next_due(original)
            _save(original)
        else:
            _event(original, EventKind.RETURNED_BY_RECEIVER, note=note, data=data)


def assignment_report(*, handoff_id, officer, result: str) -> Handoff:
    """The assigned office reports the result (办理结果报告) to the office that assigned it."""
    ensure_role(officer, Role.HANDLER, Role.LEADER)
    office = _current_office()
    if not result.strip():
        raise HandoffError("the report needs its result", code=ErrorCode.REQUIRED, field="result")
    with transaction.atomic():
        handoff = _lock_handoff(handoff_id)
        _for_receiver(handoff, office)
        if handoff.kind != HandoffKind.ASSIGN or handoff.status not in (
            HandoffStatus.PENDING,
            HandoffStatus.ACCEPTED,
        ):
            raise HandoffError(
                "there is no assignment awaiting a report", code=ErrorCode.INVALID_STATE
            )
        now = timezone.now()
        handoff.status, handoff.result, handoff.result_at = HandoffStatus.REPORTED, result, now
        handoff.accepted_at = handoff.accepted_at or now
        handoff.save(update_fields=["status", "result", "result_at", "accepted_at"])
        copy = _lock_petition(handoff.receiver_petition_id)
        _event(
            copy,
            EventKind.ASSIGNMENT_REPORTED,
            actor=officer,
            note=result,
            data={"handoff": str(handoff.pk)},
        )
        with tenant_context(handoff.sender_office):
            original = _lock_petition(handoff.sender_petition_id)
            _event(
                original,
                EventKind.ASSIGNMENT_RESULT_RECEIVED,
                note=result,
                public=True,
                data=_who(officer, office)
                | {
                    "handoff": str(handoff.pk),
                    "on_time": timezone.localdate(now) <= handoff.due_date,
                },
            )
            original.next_due = None
            _save(original)
        transaction.on_commit(lambda: _deliver_later(handoff))
    return handoff


# --- review (复查) and re-review (复核) ---------------------------------------------------------


@dataclass(frozen=True)
class _ReviewEvents:
    requested: EventKind  # in the lower office, when the petitioner asks
    opinion: EventKind  # in the reviewing office's copy
    opinion_received: EventKind  # back in the lower office


_REVIEW_EVENTS = {
    HandoffKind.REVIEW: _ReviewEvents(
        EventKind.REVIEW_REQUESTED, EventKind.REVIEW_OPINION, EventKind.REVIEW_OPINION_RECEIVED
    ),
    HandoffKind.RECHECK: _ReviewEvents(
        EventKind.RECHECK_REQUESTED, EventKind.RECHECK_OPINION, EventKind.RECHECK_OPINION_RECEIVED
    ),
}


def review_request(
    *, reference: str, officer, grounds: str, requested_on=None, idempotency_key: str = ""
) -> Handoff:
    """Register a petitioner's review request (复查) at the office one level above the office
    that replied: within 30 days of the reply; the review opinion is due 30 days later."""
    return _request_higher(
        HandoffKind.REVIEW,
        reference=reference,
        officer=officer,
        grounds=grounds,
        requested_on=requested_on,
        idempotency_key=idempotency_key,
    )


def recheck_request(
    *, reference: str, officer, grounds: str, requested_on=None, idempotency_key: str = ""
) -> Handoff:
    """Register a re-review request (复核) at the office one level above the reviewing office:
    within 30 days of the review opinion; its opinion ends the matter (终结)."""
    return _request_higher(
        HandoffKind.RECHECK,
        reference=reference,
        officer=officer,
        grounds=grounds,
        requested_on=requested_on,
        idempotency_key=idempotency_key,
    )


def _request_higher(kind, *, reference, officer, grounds, requested_on, idempotency_key):
    ensure_role(officer, Role.REGISTRAR, Role.LEADER)
    office = _current_office()
    requested_on = requested_on or timezone.localdate()
    lower = _office_by_code(reference.split("-")[0], field="reference")
    if lower.parent_id != office.pk:
        raise HandoffError(
            f"a {kind} request goes to the office one level above {lower.name}",
            code=ErrorCode.WRONG_REVIEW_OFFICE,
            field="reference",
        )
    now = timezone.now()
    try:
        with transaction.atomic(), registry.viewers_deferred():
            earlier = (
                Handoff.objects.filter(
                    initiator_office=office, idempotency_key=idempotency_key
                ).first()
                if idempotency_key
                else None
            )
            with tenant_context(lower):
                petition = Petition.objects.select_for_update().filter(reference=reference).first()
                if petition is None:
                    raise NotFound(f"no petition {reference}", field="reference")
                if earlier is not None:
                    return _replay(
                        office, idempotency_key, sender_petition_id=petition.pk, kind=kind
                    )
                _ensure_open(petition, lower)
                opinion_at = _opinion_date(kind, petition)
                calendar = deadlines.OfficeCalendar.load()
                window_end = calendar.due(opinion_at, calendar.settings.review_request_days)
                if requested_on > window_end:
                    raise HandoffError(
                        f"the 30 days to ask for {kind} ended on {window_end.isoformat()}",
                        code=ErrorCode.REVIEW_WINDOW_CLOSED,
                        deadline=window_end.isoformat(),
                    )
                if Handoff.objects.filter(kind=kind, sender_petition_id=petition.pk).exists():
                    raise HandoffError(
                        f"a {kind} of this petition was already requested",
                        code=ErrorCode.ALREADY_REQUESTED,
                    )
                _event(
                    petition,
                    _REVIEW_EVENTS[kind].requested,
                    note=grounds,
                    public=True,
                    data=_who(officer, office) | {"requested_on": requested_on.isoformat()},
                )
                registry.sync(petition)
                _checkpoint("sender_written")
            own_calendar = deadlines.OfficeCalendar.load()
            due = own_calendar.due(requested_on, own_calendar.settings.review_days)
            handoff = Handoff.objects.create(
                kind=kind,
                status=HandoffStatus.ACCEPTED,
                matter_id=petition.matter_id,
                initiator_office=office,
                sender_office=lower,
                receiver_office=office,
                sender_petition_id=petition.pk,
                sender_reference=petition.reference,
                sender_prior_status=petition.status,
                idempotency_key=idempotency_key,
                reason=grounds,
                created_by=officer.username,
                created_at=now,
                accepted_at=now,
                due_date=due,
            )
            _checkpoint("ledger_written")
            _receive_copy(
                petition,
                handoff=handoff,
                sender=lower,
                receiver=office,
                status=Status.ACCEPTED,
                handling_due=due,
            )
            transaction.on_commit(lambda: _deliver_later(handoff))
    except IntegrityError as exc:
        if _is_ours(exc):
            raise _duplicate(exc) from exc
        raise
    return handoff


def _opinion_date(kind: str, petition: Petition) -> datetime.date:
    """The date the 30-day window runs from: the reply, or the review opinion."""
    if kind == HandoffKind.RECHECK:
        review = Handoff.objects.filter(
            kind=HandoffKind.REVIEW, receiver_petition_id=petition.pk
        ).first()
        if review is None:
            raise HandoffError(
                "a re-review request refers to a review opinion",
                code=ErrorCode.NOT_A_REVIEW,
                field="reference",
            )
        if review.result_at is None:
            raise HandoffError(
                "the review opinion has not been issued yet", code=ErrorCode.NOT_REPLIED
            )
        return timezone.localdate(review.result_at)
    if petition.replied_at is None:
        raise HandoffError("the office has not replied yet", code=ErrorCode.NOT_REPLIED)
    return timezone.localdate(petition.replied_at)


def review_opinion_issue(*, handoff_id, officer, opinion: str) -> Handoff:
    """The reviewing office issues its review (复查) or re-review (复核) opinion; it flows back to
    the office below. After a re-review opinion the matter is terminated (终结) in the province."""
    ensure_role(officer, Role.LEADER)
    office = _current_office()
    if not opinion.strip():
        raise HandoffError("the opinion needs its text", code=ErrorCode.REQUIRED, field="opinion")
    with transaction.atomic():
        handoff = _lock_handoff(handoff_id)
        _for_receiver(handoff, office)
        if handoff.kind not in (HandoffKind.REVIEW, HandoffKind.RECHECK) or (
            handoff.status != HandoffStatus.ACCEPTED
        ):
            raise HandoffError(
                "there is no review awaiting an opinion", code=ErrorCode.INVALID_STATE
            )
        now = timezone.now()
        handoff.status, handoff.result, handoff.result_at = HandoffStatus.ANSWERED, opinion, now
        handoff.save(update_fields=["status", "result", "result_at"])
        copy = _lock_petition(handoff.receiver_petition_id)
        final = handoff.kind == HandoffKind.RECHECK
        _set_status(
            copy,
            Status.TERMINATED if final else Status.REPLIED,
            _REVIEW_EVENTS[handoff.kind].opinion,
            actor=officer,
            note=opinion,
            data={"handoff": str(handoff.pk)},
        )
        copy.replied_at, copy.next_due = now, None
        fields = ["replied_at"]
        if final:
            copy.closed_at = now
            fields.append("closed_at")
            TerminatedMatter.objects.create(
                matter_id=copy.matter_id,
                province_code=office.province_code,
                category=copy.category,
                recheck=handoff,
                terminated_at=now,
                person_keys=[k for k in copy.petitioners.values_list("person_key", flat=True) if k],
            )
        _save(copy, *fields)
        with tenant_context(handoff.sender_office):
            original = _lock_petition(handoff.sender_petition_id)
            _event(
                original,
                _REVIEW_EVENTS[handoff.kind].opinion_received,
                note=opinion,
                public=True,
                data=_who(officer, office) | {"handoff": str(handoff.pk), "terminated": final},
            )
        transaction.on_commit(lambda: _deliver_later(handoff))
    return handoff
