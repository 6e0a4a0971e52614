"""Review (复查) and re-review (复核): the petitioner asks the office one level above the office
that replied (then above the reviewing office), within 30 days; that office gets its own copy,
accepted at once with the 30-day opinion deadline, and its opinion flows back down. A re-review
opinion ends the matter (终结) in the whole province (`registry.termination`)."""

import datetime
import hmac
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import dates, deadlines, events, workflow
from xinfang.platform.cases.idnumbers import validate_id_number
from xinfang.platform.cases.models import DocumentKind, EventKind, Petition, Petitioner
from xinfang.platform.cases.services import lock_petition, query_code_hash
from xinfang.platform.cases.workflow import LedgerTransition
from xinfang.platform.errors import ErrorCode, NotFound
from xinfang.platform.exchange.models import Handoff, HandoffKind, HandoffStatus
from xinfang.platform.exchange.services import common, copies, delivery
from xinfang.platform.pii import contact_key, person_key
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.registry.termination import Reporters, matter_terminate
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office

# `Handoff.created_by` of a request the petitioner made online themself (no officer).
ONLINE_REQUEST = "网上申请"


class ReviewError(common.HandoffError):
    """The review or re-review cannot be requested or answered (office, window, state)."""


@dataclass(frozen=True)
class _ReviewEvents:
    requested: EventKind  # in the lower office, when the petitioner asks
    opinion: EventKind  # in the reviewing office's copy
    opinion_received: EventKind  # back in the lower office


_REVIEW_EVENTS: dict[str, _ReviewEvents] = {
    HandoffKind.REVIEW: _ReviewEvents(
        EventKind.REVIEW_REQUESTED, EventKind.REVIEW_OPINION, EventKind.REVIEW_OPINION_RECEIVED
    ),
    HandoffKind.RECHECK: _ReviewEvents(
        EventKind.RECHECK_REQUESTED, EventKind.RECHECK_OPINION, EventKind.RECHECK_OPINION_RECEIVED
    ),
}


class EvidenceKind(StrEnum):
    QUERY_CODE = "query_code"  # the petitioner's query code (查询码)
    VISIT = "visit"  # a registered visit, identity checked against the ID card
    LETTER = "letter"  # a registered letter, identity checked against the ID number


@dataclass(frozen=True)
class ReviewEvidence:
    """That the petitioner asked: their query code, or a visit or letter whose ID number is one
    of the contested petition's petitioners'. Never stored; the request records its kind."""

    kind: str
    query_code: str = field(default="", repr=False)
    id_number: str = field(default="", repr=False)


@dataclass(frozen=True)
class _Ask:
    """One request as the petitioner made it, registered by an officer of the higher office."""

    kind: str
    officer: Officer | None  # None: the petitioner asked online, with their query code
    office: Office  # the reviewing office (this one)
    lower: Office  # the office whose reply (or review opinion) is contested
    grounds: str
    requested_on: datetime.date
    idempotency_key: str
    evidence: ReviewEvidence


def review_request(
    *, reference: str, officer, grounds: str, evidence: ReviewEvidence, requested_on=None,
    idempotency_key: str = "",
) -> Handoff:  # fmt: skip
    """Register a petitioner's review request (复查) of a handling opinion at the office one level
    above the office that replied: within 30 days of the reply, with the petitioner's evidence;
    the review opinion is due 30 days later. `officer` is the higher office's registrar, or None
    when the petitioner asks online themself (the public site), proved by their query code."""
    return _request_higher(
        HandoffKind.REVIEW, reference, officer, grounds, requested_on, idempotency_key, evidence
    )


def recheck_request(
    *, reference: str, officer, grounds: str, evidence: ReviewEvidence, requested_on=None,
    idempotency_key: str = "",
) -> Handoff:  # fmt: skip
    """Register a re-review request (复核) of a review opinion at the office one level above the
    reviewing office: within 30 days of the review opinion; its opinion ends the matter (终结)."""
    return _request_higher(
        HandoffKind.RECHECK, reference, officer, grounds, requested_on, idempotency_key, evidence
    )


def _request_higher(
    kind, reference, officer, grounds, requested_on, idempotency_key, evidence
) -> Handoff:
    if officer is not None or evidence is None or evidence.kind != EvidenceKind.QUERY_CODE:
        ensure_role(officer, Role.REGISTRAR, Role.LEADER)  # only the query code proves it online
    office = current_office()
    lower = common.office_by_code(reference.split("-")[0], field="reference")
    if lower.parent_id != office.pk:
        raise ReviewError(
            f"a {kind} request goes to the office one level above {lower.name}",
            code=ErrorCode.WRONG_REVIEW_OFFICE,
            field="reference",
        )
    ask = _Ask(
        kind, officer, office, lower, grounds, requested_on or timezone.localdate(),
        idempotency_key, evidence,
    )  # fmt: skip
    try:
        with transaction.atomic(), registry.viewers_deferred():
            earlier = (
                Handoff.objects.filter(initiator_office=office, idempotency_key=idempotency_key)
                if idempotency_key
                else Handoff.objects.none()
            ).first()
            with tenant_context(lower):
                petition = Petition.objects.select_for_update().filter(reference=reference).first()
                if petition is None:
                    raise NotFound(f"no petition {reference}", field="reference")
                if earlier is not None:  # a retry: the same request again (or refused)
                    common.replay(
                        office,
                        idempotency_key,
                        {
                            "sender_petition_id": petition.pk,
                            "kind": kind,
                            "reason": grounds,
                            "requested_on": ask.requested_on,
                        },
                    )
                    return earlier
                _record_request(ask, petition)
            handoff = _open_review(ask, petition)
            delivery.record_delivery(handoff)
    except IntegrityError as exc:
        raise common.duplicate_or_raise(exc) from exc
    return handoff


def _record_request(ask: _Ask, petition: Petition) -> None:
    """In the lower office: the matter is still open, within its window, asked once; the
    request goes into the petition's log."""
    common.ensure_open(petition, ask.lower)
    opinion_at = _opinion_date(ask.kind, petition)
    dates.ensure_between(
        ask.requested_on,
        earliest=opinion_at,
        field="requestedOn",
        what=f"a {ask.kind} request (not before the opinion it contests, {opinion_at})",
    )
    verified = _verified_petitioner(ask.evidence, petition)
    window_end = review_window_end(opinion_at)
    if ask.requested_on > window_end:
        raise ReviewError(
            f"the 30 days to ask for {ask.kind} ended on {window_end.isoformat()}",
            code=ErrorCode.REVIEW_WINDOW_CLOSED,
            deadline=window_end.isoformat(),
        )
    if Handoff.objects.filter(kind=ask.kind, sender_petition_id=petition.pk).exists():
        raise ReviewError(
            f"a {ask.kind} of this petition was already requested",
            code=ErrorCode.ALREADY_REQUESTED,
        )
    events.record(
        petition,
        _REVIEW_EVENTS[ask.kind].requested,
        note=ask.grounds,
        public=True,
        data=common.who(ask.officer, ask.office)
        | {"requested_on": ask.requested_on.isoformat(), "evidence": verified},
    )
    registry.sync(petition)
    common.checkpoint("sender_written")


def _open_review(ask: _Ask, petition: Petition) -> Handoff:
    """In the reviewing office: the ledger row, accepted, and its own copy with the deadline."""
    now = timezone.now()
    calendar = deadlines.OfficeCalendar.load()
    due = calendar.due(ask.requested_on, calendar.settings.review_days)
    handoff = Handoff.objects.create(
        kind=ask.kind, status=HandoffStatus.ACCEPTED, matter_id=petition.matter_id,
        initiator_office=ask.office, sender_office=ask.lower, receiver_office=ask.office,
        sender_petition_id=petition.pk, sender_reference=petition.reference,
        sender_prior_status=petition.status, idempotency_key=ask.idempotency_key,
        reason=ask.grounds, created_by=getattr(ask.officer, "username", "") or ONLINE_REQUEST,
        created_at=now, accepted_at=now, due_date=due, requested_on=ask.requested_on,
        identity_withheld=copies.identity_withheld_from(petition, ask.office),
    )  # fmt: skip
    common.checkpoint("ledger_written")
    copies.receive_copy(
        petition,
        handoff=handoff,
        sender=ask.lower,
        receiver=ask.office,
        arrival=LedgerTransition.RECEIVE_FOR_REVIEW,
        handling_due=due,
    )
    return handoff


def _verified_petitioner(evidence: ReviewEvidence | None, petition: Petition) -> dict:
    """The petitioner asked: their query code, or the ID number of one of the petition's
    petitioners on a registered visit or letter. Returns what the request records (the kind of
    evidence, never the code or the number)."""
    if evidence is not None and (verified := _proof(evidence, petition)) is not None:
        return {"kind": evidence.kind, "verified": verified}
    raise ReviewError(
        "a review is requested by the petitioner: their query code, or a registered visit or "
        "letter with their identity verified",
        code=ErrorCode.PETITIONER_NOT_VERIFIED,
        field="evidence",
    )


def _proof(evidence: ReviewEvidence, petition: Petition) -> str | None:
    """What proved the petitioner asked ("query_code" or "id_number"), or None."""
    if evidence.kind == EvidenceKind.QUERY_CODE:
        expected = query_code_hash(petition.matter_id, evidence.query_code)
        return "query_code" if hmac.compare_digest(petition.query_code_hash, expected) else None
    if evidence.kind in (EvidenceKind.VISIT, EvidenceKind.LETTER) and evidence.id_number:
        key = person_key(validate_id_number(evidence.id_number, field="evidence.idNumber"))
        return "id_number" if petition.petitioners.filter(person_key=key).exists() else None
    return None


def review_window_end(opinion_on: datetime.date) -> datetime.date:
    """The last day to ask for 复查 (or 复核) of an opinion of the current office issued that day:
    `review_request_days` (30) later, rolled to a working day."""
    calendar = deadlines.OfficeCalendar.load()
    return calendar.due(opinion_on, calendar.settings.review_request_days)


def _ensure_handling_opinion(petition: Petition) -> None:
    """复查 contests a handling opinion, never a review (复查) or re-review (复核) opinion."""
    if Handoff.objects.filter(
        receiver_petition_id=petition.pk, kind__in=(HandoffKind.REVIEW, HandoffKind.RECHECK)
    ).exists():
        raise ReviewError(
            "a review (复查) contests a handling opinion; a review opinion is contested by a "
            "re-review (复核) at the office above the reviewing office",
            code=ErrorCode.NOT_A_HANDLING_OPINION,
            field="reference",
        )


def _opinion_date(kind: str, petition: Petition) -> datetime.date:
    """The date the 30-day window runs from: the reply, or the review opinion."""
    if kind == HandoffKind.REVIEW:
        _ensure_handling_opinion(petition)
    if kind == HandoffKind.RECHECK:
        review = Handoff.objects.filter(
            kind=HandoffKind.REVIEW, receiver_petition_id=petition.pk
        ).first()
        if review is None:
            raise ReviewError(
                "a re-review request refers to a review opinion",
                code=ErrorCode.NOT_A_REVIEW,
                field="reference",
            )
        if review.result_at is None:
            raise ReviewError(
                "the review opinion has not been issued yet", code=ErrorCode.NOT_REPLIED
            )
        return timezone.localdate(review.result_at)
    if petition.replied_at is None:
        raise ReviewError("the office has not replied yet", code=ErrorCode.NOT_REPLIED)
    return timezone.localdate(petition.replied_at)


def review_opinion_issue(*, handoff_id, officer, opinion: str) -> Handoff:
    """The reviewing office issues its review (复查) or re-review (复核) opinion; it flows back to
    the office below. After a re-review opinion the matter is terminated (终结) in the province."""
    ensure_role(officer, Role.LEADER)
    office = current_office()
    if not opinion.strip():
        raise ReviewError("the opinion needs its text", code=ErrorCode.REQUIRED, field="opinion")
    with transaction.atomic():
        handoff = common.lock_handoff(handoff_id)
        common.ensure_receiver(handoff, office)
        if handoff.kind not in _REVIEW_EVENTS or handoff.status != HandoffStatus.ACCEPTED:
            raise ReviewError(
                "there is no review awaiting an opinion", code=ErrorCode.INVALID_STATE
            )
        now = timezone.now()
        handoff.status, handoff.result, handoff.result_at = HandoffStatus.ANSWERED, opinion, now
        handoff.save(update_fields=["status", "result", "result_at"])
        final = handoff.kind == HandoffKind.RECHECK
        _answer_copy(handoff, office=office, officer=officer, opinion=opinion, at=now)
        document = _opinion_document(handoff.kind, opinion, office)
        with tenant_context(handoff.sender_office):
            events.record(
                lock_petition(handoff.sender_petition_id, field="petitionId"),
                _REVIEW_EVENTS[handoff.kind].opinion_received,
                note=opinion,
                public=True,
                data=common.who(officer, office)
                | {"handoff": str(handoff.pk), "terminated": final, "document": document},
            )
        delivery.record_delivery(handoff)
    return handoff


def _opinion_document(kind: str, opinion: str, office: Office) -> dict:
    """The written opinion as the petitioner receives it, with the way forward: a review opinion
    names the office to ask for 复核 and the window; a re-review opinion says it is final."""
    if kind == HandoffKind.RECHECK:
        text = (
            f"{opinion}\n\n本复核意见为最终意见。信访人以同一事实和理由提出的信访事项，不再受理。"
        )
        return common.document(DocumentKind.RECHECK_OPINION, f"复核意见书（{office.name}）", text)
    days = deadlines.OfficeCalendar.load().settings.review_request_days
    where = office.parent.name if office.parent is not None else "上一级行政机关"
    text = (
        f"{opinion}\n\n信访人对本复查意见不服的，可以自收到本意见书之日起{days}日内"
        f"向{where}请求复核。"
    )
    return common.document(DocumentKind.REVIEW_OPINION, f"复查意见书（{office.name}）", text)


def _answer_copy(handoff: Handoff, *, office: Office, officer, opinion: str, at) -> None:
    """The reviewing office's copy is replied (a review) or terminated (a re-review, which
    records the terminated matter for the province)."""
    copy = lock_petition(handoff.receiver_petition_id, field="petitionId")
    final = handoff.kind == HandoffKind.RECHECK
    workflow.apply(
        copy,
        LedgerTransition.RECHECK_OPINION if final else LedgerTransition.REVIEW_OPINION,
        officer=officer,
        note=opinion,
        data={"handoff": str(handoff.pk)},
    )
    copy.replied_at, copy.next_due = at, None
    fields = ["replied_at"]
    if final:
        copy.closed_at = at
        fields.append("closed_at")
        matter_terminate(
            matter_id=copy.matter_id,
            province_code=office.province_code,
            category=copy.category,
            reporters=_reporters(copy),
            recheck_handoff_id=handoff.pk,
            recheck_reference=handoff.receiver_reference,
            at=at,
        )
    common.save(copy, *fields)


def _reporters(copy: Petition) -> Reporters:
    """Whom the terminated matter recognises: the petitioners of every copy of the matter that
    names them, read in each office's schema — a copy made for an office the accuser's identity
    was withheld from names nobody, so the re-reviewing office's copy may not — and, for an
    accusation, which offices those copies are at (they know the reporter already)."""
    people, offices = [], []
    for record in PetitionRecord.objects.select_related("office").filter(matter_id=copy.matter_id):
        with tenant_context(record.office):
            named = [
                p
                for p in Petitioner.objects.filter(petition_id=record.petition_id)
                if p.name != copies.WITHHELD_NAME
            ]
        if named:
            people += named
            offices.append(record.office.code or "")
    return Reporters(
        person_keys=[p.person_key for p in people],
        contact_keys=[contact_key(p.name, p.phone) for p in people if p.phone],
        office_codes=offices if copy.is_accusation else (),
        is_accusation=copy.is_accusation,
        accused_division_code=copy.accused_division_code,
    )
