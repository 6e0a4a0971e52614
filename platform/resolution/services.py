"""Every state change of resolving a matter: visits, action items, hard cases (包案),
investigations, closing with an outcome (四到位) or a mediation agreement, reopening, care plans.

Like the workflow's services: keyword-only arguments; the role check first; typed errors with
stable codes; the petition row locked when a petition changes; one transaction, the public
ledger rows (`ledger/models.py`) written in it; an event on every petition concerned. Status
changes go through `cases.workflow.apply` (close, mediate, reopen). See docs/resolution.md.
"""

import contextlib
import datetime
import uuid
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F as models_F
from django.utils import timezone

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases import deadlines, events, finality, workflow
from xinfang.platform.cases import services as cases_services
from xinfang.platform.cases.models import (
    DocumentKind,
    Evaluation,
    EventKind,
    Petition,
    PetitionEvent,
    Reply,
    Satisfaction,
)
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.errors import (
    Conflict,
    ErrorCode,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from xinfang.platform.registry import services as registry
from xinfang.platform.resolution import metrics, selectors
from xinfang.platform.resolution.ledger.models import CarePlanEntry, HardCaseEntry, ResolutionScan
from xinfang.platform.resolution.models import (
    INVESTIGATING,
    ActionItem,
    CareMeasure,
    CarePlan,
    CarePlanStatus,
    HardCase,
    HardCaseReason,
    HardCaseStatus,
    Investigation,
    InvestigationMode,
    InvestigationSource,
    ItemKind,
    ItemStatus,
    Milestone,
    Outcome,
    OutcomeKind,
    ReceptionSession,
    ReopenCause,
    Reopening,
    ResolutionSettings,
    ReturnFinding,
    SourceKind,
    Visit,
    VisitKind,
    VisitStatus,
)
from xinfang.platform.resolution.selectors import has_opinion
from xinfang.platform.validation import clean_text
from xinfang.search.models import CollectiveAlert
from xinfang.search.services import collective_alert_acknowledge
from xinfang.tenants.context import current_office

WORKERS = (Role.HANDLER, Role.LEADER)
MAX_TEXT = 10_000


class ResolutionError(Conflict):
    """A step that the matter's state does not allow now."""

    code = ErrorCode.INVALID_STATE


# --- shared pieces --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerRef:
    """An officer named by office and key (what a global ID carries): lets a service tell an
    officer of another office from one that does not exist."""

    office_code: str
    pk: int


def officers_of_this_office(refs: Iterable[Officer | OfficerRef], *, field: str) -> list[Officer]:
    """The officers, each of this office (OFFICER_OF_ANOTHER_OFFICE) and active (NOT_FOUND)."""
    found, wanted = [], []
    for ref in refs:
        if isinstance(ref, Officer):
            found.append(ref)
            continue
        if ref.office_code != current_office().code:
            raise ValidationError(
                "only officers of this office can take part (an officer of another office "
                "belongs to that office's own records)",
                code=ErrorCode.OFFICER_OF_ANOTHER_OFFICE,
                field=field,
            )
        wanted.append(ref.pk)
    loaded = {o.pk: o for o in Officer.objects.filter(pk__in=wanted, is_active=True)}
    if len(loaded) != len(set(wanted)):
        raise NotFound("no such officer in this office", field=field)
    return [*found, *(loaded[pk] for pk in dict.fromkeys(wanted))]


def _one_officer(ref: Officer | OfficerRef | None, *, field: str, code: ErrorCode) -> Officer:
    if ref is None:
        raise ValidationError(f"{field} is required", code=code, field=field)
    return officers_of_this_office([ref], field=field)[0]


def _text(value: str | None, name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"{name} is required", code=ErrorCode.REQUIRED, field=name)
    return clean_text(value, field=name, max_length=limit)


def _choice(value: str, choices, name: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            f"unknown {name} '{value}' (one of {', '.join(choices.values)})",
            code=ErrorCode.INVALID_CHOICE,
            field=name,
        )
    return value


def _ahead(day: datetime.date | None, name: str, *, today: datetime.date) -> datetime.date:
    if day is None or day < today:
        raise ValidationError(
            f"{name} must be today or later", code=ErrorCode.INVALID_DUE_DATE, field=name
        )
    return day


def _get(model, pk, *, field: str, lock: bool = False, what: str = ""):
    qs = model.objects.select_for_update() if lock else model.objects
    try:
        return qs.get(pk=pk.pk if isinstance(pk, model) else pk)
    except (model.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound(f"no such {what or model._meta.verbose_name} here", field=field) from None


def _store(petition: Petition, *fields: str) -> Petition:
    """Save a transition's changes and mirror them to the public registry row."""
    petition.next_due = deadlines.next_due(petition)
    petition.save(update_fields=workflow.changed_fields(*fields))
    registry.sync(petition)
    return petition


def _ensure_opinion(petition: Petition, *, what: str, field: str = "petitionIds") -> None:
    if not has_opinion(petition):
        raise ResolutionError(
            f"{what} comes after the office's written opinion; {petition.reference} has none yet",
            code=ErrorCode.OPINION_NOT_ISSUED,
            field=field,
            reference=petition.reference,
        )


# --- reception sessions (领导接访日) --------------------------------------------------------------


def reception_schedule(
    *,
    officer: Officer,
    leader: Officer | OfficerRef,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    topic: str = "",
) -> ReceptionSession:
    """Publish a leader's reception session on the office's schedule."""
    ensure_role(officer, Role.LEADER)
    leader = _one_officer(leader, field="leaderId", code=ErrorCode.REQUIRED)
    if not leader.has_role(Role.LEADER):
        raise ValidationError(
            "a reception session is held by a leader",
            code=ErrorCode.LEADER_REQUIRED,
            field="leaderId",
        )
    if ends_at <= starts_at:
        raise ValidationError(
            "a session ends after it starts", code=ErrorCode.INVALID_INPUT, field="endsAt"
        )
    if starts_at < timezone.now():
        raise ValidationError(
            "a session is scheduled ahead", code=ErrorCode.INVALID_DUE_DATE, field="startsAt"
        )
    return ReceptionSession.objects.create(
        leader=leader,
        starts_at=starts_at,
        ends_at=ends_at,
        place=_text(place, "place", limit=200),
        topic=_text(topic, "topic", required=False, limit=200),
        created_by=officer,
    )


def reception_cancel(*, officer: Officer, session) -> ReceptionSession:
    ensure_role(officer, Role.LEADER)
    with transaction.atomic():
        session = _get(ReceptionSession, session, field="id", lock=True, what="reception session")
        if session.cancelled_at is not None:
            raise ResolutionError("the session was already cancelled")
        if session.visits.filter(status=VisitStatus.HELD).exists():
            raise ResolutionError("visitors were received in this session: it took place")
        session.cancelled_at, session.published = timezone.now(), False
        session.save(update_fields=["cancelled_at", "published"])
    return session


# --- visits (约访 / 回访 / 下访 / 接访 / 联合接访) ------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    """An action item: what, who (required) and by when."""

    description: str
    owner: Officer | OfficerRef | None
    due_on: datetime.date | None


@dataclass(frozen=True)
class VisitInput:
    kind: str
    officers: Sequence[Officer | OfficerRef] = ()
    petition_ids: Sequence = ()
    place: str = ""
    planned_on: datetime.date | None = None
    held_at: datetime.datetime | None = None
    met: str = ""
    summary: str = ""
    agreed: str = ""
    outcome: str = ""
    collective_alert_id: int | None = None
    session_id: uuid.UUID | str | None = None
    other_bodies: Sequence[str] = ()
    return_finding: str = ""
    satisfaction_now: str = ""
    hard_case_id: uuid.UUID | str | None = None
    care_plan_id: uuid.UUID | str | None = None
    follow_ups: Sequence[ItemInput] = field(default_factory=tuple)


def _visit_officers(data: VisitInput) -> tuple[list[Officer], ReceptionSession | None]:
    """Who goes: officers of this office, a leader where the kind needs one; a reception's
    session (its leader takes part); a joint reception's other bodies."""
    officers = officers_of_this_office(data.officers, field="officerIds")
    if not officers:
        raise ValidationError(
            "who went? a visit needs its officers", code=ErrorCode.REQUIRED, field="officerIds"
        )
    session = None
    if data.kind == VisitKind.RECEPTION:
        if not data.session_id:
            raise ValidationError(
                "a reception visit belongs to a reception session",
                code=ErrorCode.SESSION_REQUIRED,
                field="sessionId",
            )
        session = _get(ReceptionSession, data.session_id, field="sessionId", what="session")
        if session.cancelled_at is not None:
            raise ResolutionError("the session was cancelled", field="sessionId")
        if session.leader not in officers:
            officers.append(session.leader)
    if data.kind in (VisitKind.APPOINTMENT, VisitKind.RECEPTION) and not any(
        o.has_role(Role.LEADER) for o in officers
    ):
        raise ValidationError(
            "a leader makes appointment visits and receives visitors (领导约访 / 领导接访)",
            code=ErrorCode.LEADER_REQUIRED,
            field="officerIds",
        )
    if data.kind == VisitKind.JOINT and not [b for b in data.other_bodies if b.strip()]:
        raise ValidationError(
            "a joint reception names the other bodies taking part",
            code=ErrorCode.BODIES_REQUIRED,
            field="otherBodies",
        )
    return officers, session


def _visit_petitions(data: VisitInput) -> tuple[list[Petition], CollectiveAlert | None]:
    """What the visit concerns, locked: the petitions named and, for an appointment visit that
    answers a collective alert, the alert's petitions in this office."""
    alert = None
    if data.collective_alert_id is not None:
        alert = _get(CollectiveAlert, data.collective_alert_id, field="collectiveAlertId",
                     what="collective alert")  # fmt: skip
    wanted = {str(pk) for pk in data.petition_ids}
    if alert is not None:
        code = current_office().code
        wanted |= {m["petition_id"] for m in alert.members if m["office_code"] == code}
    petitions = list(Petition.objects.filter(pk__in=wanted).select_for_update())
    if len(petitions) != len(wanted):
        raise NotFound("no such petition in this office", field="petitionIds")
    if data.kind in (VisitKind.RETURN, VisitKind.APPOINTMENT) and not petitions:
        raise ValidationError(
            "a return visit follows up petitions; an appointment visit concerns petitions or a "
            "collective alert",
            code=ErrorCode.REQUIRED,
            field="petitionIds",
        )
    if data.kind == VisitKind.RETURN:
        for petition in petitions:
            _ensure_opinion(petition, what="a return visit (回访)")
    return petitions, alert


def _check_visit(data: VisitInput, *, held: bool) -> dict:
    """Validate a visit's input; returns the related rows, resolved."""
    _choice(data.kind, VisitKind, "kind")
    officers, session = _visit_officers(data)
    petitions, alert = _visit_petitions(data)
    if held and data.kind == VisitKind.RETURN:
        _choice(data.return_finding, ReturnFinding, "returnFinding")
    if data.satisfaction_now:
        _choice(data.satisfaction_now, Satisfaction, "satisfactionNow")
    hard_case = care_plan = None
    if data.hard_case_id:
        hard_case = _get(HardCase, data.hard_case_id, field="hardCaseId", what="hard case")
    if data.care_plan_id:
        care_plan = _get(CarePlan, data.care_plan_id, field="carePlanId", lock=True,
                         what="care plan")  # fmt: skip
        if care_plan.status != CarePlanStatus.OPEN:
            raise ResolutionError("the care plan has ended", field="carePlanId")
    return {
        "officers": officers, "session": session, "alert": alert, "petitions": petitions,
        "hard_case": hard_case, "care_plan": care_plan,
    }  # fmt: skip


def _fields(data: VisitInput, related: dict) -> dict:
    return {
        "kind": data.kind,
        "place": _text(data.place, "place", required=False, limit=200),
        "met": _text(data.met, "met", required=False),
        "summary": _text(data.summary, "summary", required=False),
        "agreed": _text(data.agreed, "agreed", required=False),
        "outcome": _text(data.outcome, "outcome", required=False),
        "matter_ids": sorted({p.matter_id for p in related["petitions"]}),
        "collective_group_id": related["alert"].group_id if related["alert"] else "",
        "session": related["session"],
        "other_bodies": [b.strip() for b in data.other_bodies if b.strip()],
        "hard_case": related["hard_case"],
        "care_plan": related["care_plan"],
    }


def _link(visit: Visit, related: dict) -> None:
    visit.officers.set(related["officers"])
    visit.petitions.set(related["petitions"])


def visit_plan(*, officer: Officer, data: VisitInput) -> Visit:
    """Plan a visit for a day (a return visit can be planned once the opinion is out)."""
    ensure_role(officer, *WORKERS)
    _ahead(data.planned_on, "plannedOn", today=timezone.localdate())
    with transaction.atomic():
        related = _check_visit(data, held=False)
        visit = Visit.objects.create(
            status=VisitStatus.PLANNED, planned_on=data.planned_on, created_by=officer,
            **_fields(data, related),
        )  # fmt: skip
        _link(visit, related)
        for petition in related["petitions"]:
            events.record(petition, EventKind.VISIT_PLANNED, actor=officer, data={
                "visit": str(visit.pk), "kind": data.kind,
                "planned_on": str(data.planned_on),
            })  # fmt: skip
    return visit


def _held_visit(*, officer: Officer, values: dict, planned) -> Visit:
    """A new held visit, or the planned one it completes (same kind, still planned)."""
    if planned is None:
        return Visit.objects.create(created_by=officer, **values)
    visit = _get(Visit, planned, field="plannedVisitId", lock=True, what="visit")
    if visit.status != VisitStatus.PLANNED:
        raise ResolutionError(f"the visit is {visit.status}, not planned", field="plannedVisitId")
    if visit.kind != values["kind"]:
        raise ValidationError("a planned visit keeps its kind", field="kind")
    for name, value in values.items():
        setattr(visit, name, value)
    visit.save()
    return visit


def visit_record(*, officer: Officer, data: VisitInput, planned=None) -> Visit:
    """Record a visit that took place (or complete a planned one): what was said and agreed,
    its follow-ups; a failed return visit reopens the matter for re-handling."""
    ensure_role(officer, *WORKERS)
    held_at = data.held_at or timezone.now()
    if held_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(
            "a visit is recorded once it took place", code=ErrorCode.INVALID_INPUT, field="heldAt"
        )
    _text(data.summary, "summary")
    with transaction.atomic():
        related = _check_visit(data, held=True)
        visit = _held_visit(officer=officer, planned=planned, values={
            **_fields(data, related), "status": VisitStatus.HELD, "held_at": held_at,
            "return_finding": data.return_finding if data.kind == VisitKind.RETURN else "",
            "satisfaction_now": data.satisfaction_now,
        })  # fmt: skip
        _link(visit, related)
        if related["alert"] is not None:
            collective_alert_acknowledge(alert_id=related["alert"].pk, officer=officer)
        petitions = related["petitions"]
        for item in data.follow_ups:
            _item_create(officer=officer, kind=ItemKind.FOLLOW_UP, item=item, visit=visit,
                         petition=petitions[0] if len(petitions) == 1 else None)  # fmt: skip
        if related["care_plan"] is not None:
            _care_contact(related["care_plan"], held_at=held_at)
        for petition in petitions:
            _visit_held_on(petition, visit=visit, officer=officer)
    return visit


def _visit_held_on(petition: Petition, *, visit: Visit, officer: Officer) -> None:
    """The visit in the petition's log; a failed return visit reopens the matter."""
    events.record(petition, EventKind.VISIT_HELD, actor=officer, note=visit.summary[:500], data={
        "visit": str(visit.pk), "kind": visit.kind, "return_finding": visit.return_finding,
        "satisfaction_now": visit.satisfaction_now,
    })  # fmt: skip
    if (
        _return_visit_failed(visit)
        and petition.status in workflow.step(Transition.REOPEN).sources
        and finality.matter_ended(petition) is None  # the re-review's word is final (Art 36)
    ):
        reopen(petition, officer=officer, cause=ReopenCause.RETURN_VISIT, visit=visit,
               reason=visit.summary)  # fmt: skip


def _return_visit_failed(visit: Visit) -> bool:
    return visit.kind == VisitKind.RETURN and (
        visit.return_finding == ReturnFinding.NOT_IMPLEMENTED
        or visit.satisfaction_now == Satisfaction.DISSATISFIED
    )


def visit_cancel(*, officer: Officer, visit, reason: str) -> Visit:
    ensure_role(officer, *WORKERS)
    reason = _text(reason, "reason")
    with transaction.atomic():
        visit = _get(Visit, visit, field="id", lock=True, what="visit")
        if visit.status != VisitStatus.PLANNED:
            raise ResolutionError(f"the visit is {visit.status}; only a planned one is cancelled")
        visit.status, visit.outcome = VisitStatus.CANCELLED, reason
        visit.save(update_fields=["status", "outcome"])
    return visit


# --- action items (跟进事项 / 落实事项) -----------------------------------------------------------


def _item_create(*, officer, kind, item: ItemInput, visit=None, petition=None) -> ActionItem:
    owner = _one_officer(item.owner, field="ownerId", code=ErrorCode.OWNER_REQUIRED)
    due_on = _ahead(item.due_on, "dueOn", today=timezone.localdate())
    created = ActionItem.objects.create(
        kind=kind,
        petition=petition,
        visit=visit,
        owner=owner,
        due_on=due_on,
        description=_text(item.description, "description"),
        created_by=officer,
    )
    if petition is not None:
        events.record(
            petition,
            EventKind.ACTION_ITEM_ADDED,
            actor=officer,
            note=created.description[:500],
            data={
                "item": str(created.pk),
                "kind": kind,
                "owner_id": owner.pk,
                "due_on": due_on.isoformat(),
            },
        )
    return created


def item_add(*, officer: Officer, petition, item: ItemInput) -> ActionItem:
    """An implementation item of the office's opinion (督促执行, Art 32): owner and due day."""
    ensure_role(officer, *WORKERS)
    with transaction.atomic():
        petition = cases_services.lock_petition(petition, field="petitionId")
        _ensure_opinion(petition, what="implementing the opinion", field="petitionId")
        return _item_create(
            officer=officer, kind=ItemKind.IMPLEMENTATION, item=item, petition=petition
        )


def item_complete(*, officer: Officer, item, evidence: str = "", evidence_visit=None) -> ActionItem:
    """Done, with its evidence (a document's reference, what was seen, or the confirming visit)."""
    ensure_role(officer)
    evidence = _text(evidence, "evidence", required=False)
    with transaction.atomic():
        item = _get(ActionItem, item, field="id", lock=True, what="action item")
        if item.owner_id != officer.pk and not officer.has_role(Role.LEADER, Role.ADMIN):
            raise PermissionDenied(
                "only the item's owner or a leader marks it done", code=ErrorCode.NOT_THE_OWNER
            )
        if item.status != ItemStatus.OPEN:
            raise ResolutionError(f"the item is {item.status}")
        visit = None
        if evidence_visit is not None:
            visit = _get(Visit, evidence_visit, field="evidenceVisitId", what="visit")
            if visit.status != VisitStatus.HELD:
                raise ValidationError(
                    "only a visit that took place confirms an item",
                    code=ErrorCode.EVIDENCE_REQUIRED,
                    field="evidenceVisitId",
                )
        if not evidence and visit is None:
            raise ValidationError(
                "what shows it was done? a document or a visit",
                code=ErrorCode.EVIDENCE_REQUIRED,
                field="evidence",
            )
        item.status, item.done_at = ItemStatus.DONE, timezone.now()
        item.evidence, item.evidence_visit = evidence, visit
        item.save(update_fields=["status", "done_at", "evidence", "evidence_visit"])
        if item.petition_id:
            events.record(
                Petition.objects.get(pk=item.petition_id),
                EventKind.ACTION_ITEM_DONE,
                actor=officer,
                note=evidence[:500],
                data={"item": str(item.pk), "late": item.done_at.date() > item.due_on},
            )
    return item


# --- hard cases (积案 / 包案) ---------------------------------------------------------------------


def _sync_hard_case(case: HardCase) -> None:
    """The public ledger row of a hard case, in the caller's transaction."""
    office = current_office()
    milestones = list(case.milestones.values_list("done_at", flat=True))
    petition = case.petition
    HardCaseEntry.objects.update_or_create(
        hard_case_id=case.pk,
        defaults={
            "office": office,
            "office_level": office.level,
            "lineage_codes": office.lineage_codes,
            "petition_id": petition.pk,
            "matter_id": petition.matter_id,
            "reference": petition.reference,
            "reason": case.reason,
            "leader_name": str(case.leader),
            "target_date": case.target_date,
            "status": case.status,
            "milestones_total": len(milestones),
            "milestones_done": sum(d is not None for d in milestones),
            "opened_at": case.opened_at,
            "resolved_at": case.resolved_at,
        },
    )


def _leader(ref: Officer | OfficerRef | None) -> Officer:
    leader = _one_officer(ref, field="leaderId", code=ErrorCode.REQUIRED)
    if not leader.has_role(Role.LEADER):
        raise ValidationError(
            "包案: a leader takes charge of the case", code=ErrorCode.LEADER_REQUIRED,
            field="leaderId",
        )  # fmt: skip
    return leader


def hard_case_open(
    *,
    officer: Officer,
    petition,
    reason: str,
    leader: Officer | OfficerRef,
    plan: str,
    target_date: datetime.date,
    milestones: Sequence[tuple[str, datetime.date]] = (),
) -> HardCase:
    """A leader takes charge of a matter (包案) until it is resolved: plan, milestones, target."""
    ensure_role(officer, Role.LEADER)
    _choice(reason, HardCaseReason, "reason")
    leader = _leader(leader)
    today = timezone.localdate()
    if target_date is None or target_date <= today:
        raise ValidationError(
            "the target date lies ahead", code=ErrorCode.INVALID_DUE_DATE, field="targetDate"
        )
    plan = _text(plan, "plan")
    try:
        with transaction.atomic():
            petition = cases_services.lock_petition(petition, field="petitionId")
            case = HardCase.objects.create(
                petition=petition,
                reason=reason,
                leader=leader,
                plan=plan,
                target_date=target_date,
                opened_at=timezone.now(),
                opened_by=officer,
            )
            Milestone.objects.bulk_create(
                Milestone(hard_case=case, title=_text(title, f"milestones.{i}.title", limit=200),
                          due_on=_ahead(due_on, f"milestones.{i}.dueOn", today=today))
                for i, (title, due_on) in enumerate(milestones)
            )  # fmt: skip
            events.record(petition, EventKind.HARD_CASE_OPENED, actor=officer, note=plan[:500],
                          data={"hard_case": str(case.pk), "leader_id": leader.pk, "reason": reason,
                                "target_date": target_date.isoformat()})  # fmt: skip
            _sync_hard_case(case)
    except IntegrityError:
        raise ResolutionError(
            "a leader already has this matter in hand (an open hard case)",
            code=ErrorCode.HARD_CASE_EXISTS,
            field="petitionId",
        ) from None
    return case


def milestone_add(*, officer: Officer, hard_case, title: str, due_on) -> Milestone:
    ensure_role(officer, Role.LEADER)
    with transaction.atomic():
        case = _open_case(hard_case)
        milestone = Milestone.objects.create(
            hard_case=case,
            title=_text(title, "title", limit=200),
            due_on=_ahead(due_on, "dueOn", today=timezone.localdate()),
        )
        _sync_hard_case(case)
    return milestone


def milestone_complete(*, officer: Officer, milestone, note: str = "") -> Milestone:
    ensure_role(officer, Role.LEADER, Role.HANDLER)
    with transaction.atomic():
        milestone = _get(Milestone, milestone, field="id", lock=True, what="milestone")
        case = _open_case(milestone.hard_case_id)
        if milestone.done_at is not None:
            raise ResolutionError("the milestone is done already")
        milestone.done_at, milestone.note = timezone.now(), _text(note, "note", required=False)
        milestone.save(update_fields=["done_at", "note"])
        events.record(
            case.petition,
            EventKind.MILESTONE_DONE,
            actor=officer,
            note=milestone.title,
            data={"hard_case": str(case.pk), "milestone": milestone.pk},
        )
        _sync_hard_case(case)
    return milestone


def hard_case_resolve(*, officer: Officer, hard_case, note: str) -> HardCase:
    """The matter is resolved (化解): the case leaves the open ledger, on time or late."""
    ensure_role(officer, Role.LEADER)
    note = _text(note, "note")
    with transaction.atomic():
        case = _open_case(hard_case)
        case.status, case.resolved_at = HardCaseStatus.RESOLVED, timezone.now()
        case.resolution_note = note
        case.save(update_fields=["status", "resolved_at", "resolution_note"])
        events.record(
            case.petition,
            EventKind.HARD_CASE_RESOLVED,
            actor=officer,
            note=note[:500],
            data={
                "hard_case": str(case.pk),
                "in_time": case.resolved_at.date() <= case.target_date,
            },
        )
        _sync_hard_case(case)
    return case


def _open_case(hard_case) -> HardCase:
    case = _get(HardCase, hard_case, field="hardCaseId", lock=True, what="hard case")
    if case.status != HardCaseStatus.OPEN:
        raise ResolutionError("the hard case is resolved already", field="hardCaseId")
    return case


# --- investigation (调查核实, hearing both sides) -------------------------------------------------


def investigation_record(
    *,
    officer: Officer,
    petition,
    mode: str,
    findings: str,
    sources: Sequence[tuple[str, str]],
) -> Investigation:
    """Record an investigation: the sources heard (the petitioner and the other side, witnesses,
    documents, the site), open or discreet, and what was found."""
    ensure_role(officer, *WORKERS)
    _choice(mode, InvestigationMode, "mode")
    findings = _text(findings, "findings")
    heard = []
    for i, (kind, summary) in enumerate(sources):
        heard.append(
            (_choice(kind, SourceKind, f"sources.{i}.kind"), _text(summary, f"sources.{i}.summary"))
        )
    with transaction.atomic():
        petition = cases_services.lock_petition(petition, field="petitionId")
        if petition.status not in INVESTIGATING:
            raise ResolutionError(
                f"an investigation belongs to the handling; the petition is {petition.status}",
                field="petitionId",
            )
        kinds = {kind for kind, _ in heard}
        other_side = (
            {SourceKind.ACCUSED_BODY}
            if petition.accused_body
            else set(SourceKind) - {SourceKind.PETITIONER}
        )
        if SourceKind.PETITIONER not in kinds or not kinds & other_side:
            needed = "the body complained about" if petition.accused_body else "another source"
            raise ValidationError(
                f"hear both sides: the petitioner and {needed}",
                code=ErrorCode.BOTH_SIDES_REQUIRED,
                field="sources",
            )
        investigation = Investigation.objects.create(
            petition=petition,
            officer=officer,
            mode=mode,
            findings=findings,
            concluded_at=timezone.now(),
        )
        InvestigationSource.objects.bulk_create(
            InvestigationSource(investigation=investigation, kind=kind, summary=summary)
            for kind, summary in heard
        )
        events.record(
            petition,
            EventKind.INVESTIGATION,
            actor=officer,
            note=findings[:500],
            data={"investigation": str(investigation.pk), "mode": mode, "sources": sorted(kinds)},
        )
    return investigation


def require_investigation(petition: Petition, **_) -> None:
    """Workflow requirement of `reply`: for the categories the office configured, an
    investigation that heard both sides comes before the written opinion."""
    if not ResolutionSettings.current().needs_investigation(petition.category):
        return
    since = petition.reopenings.order_by("-at").values_list("at", flat=True).first()
    done = petition.investigations.all()
    if since is not None:
        done = done.filter(concluded_at__gt=since)
    if not done.exists():
        raise ResolutionError(
            "this office investigates matters of this kind, hearing both sides, before it "
            "issues a written opinion",
            code=ErrorCode.INVESTIGATION_REQUIRED,
        )


# --- closing: the outcome (四到位) and mediation --------------------------------------------------


@dataclass(frozen=True)
class OutcomeInput:
    kind: str
    summary: str
    law_cited: str = ""
    help_given: str = ""
    legal_measure: str = ""
    agreement_title: str = ""
    agreement_text: str = ""
    agreement_parties: Sequence[str] = ()


_DETAIL: dict[str, tuple[str, str, str]] = {
    OutcomeKind.EXPLAINED: ("law_cited", "lawCited", "the law and policy explained"),
    OutcomeKind.ASSISTED: ("help_given", "helpGiven", "the help given"),
    OutcomeKind.BY_LAW: ("legal_measure", "legalMeasure", "the legal measure taken"),
}

# The outcome being recorded in this transaction (what the close requirement looks for).
_recording: ContextVar[Outcome | None] = ContextVar("recording_outcome", default=None)


def _checked_outcome(data: OutcomeInput) -> dict:
    _choice(data.kind, OutcomeKind, "outcome.kind")
    values: dict = {"kind": data.kind, "summary": _text(data.summary, "outcome.summary")}
    if data.kind in _DETAIL:
        name, field_name, what = _DETAIL[data.kind]
        value = (getattr(data, name) or "").strip()
        if not value:
            raise ValidationError(
                f"a closure '{data.kind}' names {what}",
                code=ErrorCode.OUTCOME_DETAIL_REQUIRED,
                field=f"outcome.{field_name}",
            )
        values[name] = _text(value, f"outcome.{field_name}")
    if data.kind == OutcomeKind.MEDIATED:
        parties = [p.strip() for p in data.agreement_parties if p.strip()]
        if not data.agreement_title.strip() or not data.agreement_text.strip() or len(parties) < 2:
            raise ValidationError(
                "a mediated closure carries the agreement: its title, its text and the parties",
                code=ErrorCode.AGREEMENT_REQUIRED,
                field="outcome.agreementText",
            )
        values.update(
            agreement_title=_text(data.agreement_title, "outcome.agreementTitle", limit=200),
            agreement_text=_text(data.agreement_text, "outcome.agreementText"),
            agreement_parties=parties,
        )
    return values


@contextlib.contextmanager
def _outcome_for(outcome: Outcome):
    token = _recording.set(outcome)
    try:
        yield
    finally:
        _recording.reset(token)


def require_outcome(petition: Petition, **_) -> None:
    """Workflow requirement of `close` and `mediate`: every closure has its outcome."""
    outcome = _recording.get()
    if outcome is None or outcome.petition_id != petition.pk:
        raise ResolutionError(
            "every closure records how the matter ended (四到位: solved, explained, assisted, "
            "handled by law; or a mediation agreement)",
            code=ErrorCode.OUTCOME_REQUIRED,
            field="outcome",
        )


def petition_close(
    *,
    petition,
    officer: Officer,
    outcome: OutcomeInput,
    version: int | None = None,
    note: str = "",
) -> Petition:
    """Close (办结) a replied petition with its outcome (四到位)."""
    ensure_role(officer, *workflow.step(Transition.CLOSE).roles)
    if outcome.kind == OutcomeKind.MEDIATED:
        raise ValidationError(
            "a mediation agreement closes through mediatePetition",
            code=ErrorCode.INVALID_CHOICE,
            field="outcome.kind",
        )
    values = _checked_outcome(outcome)
    with transaction.atomic():
        locked = cases_services.lock_petition(petition)
        workflow.ensure_allowed(locked, Transition.CLOSE, officer)
        row = Outcome.objects.create(
            petition=locked, recorded_at=timezone.now(), recorded_by=officer, **values
        )
        with _outcome_for(row):
            closed = cases_services.petition_close(
                petition=locked, officer=officer, version=version, note=note
            )
        events.record(
            closed,
            EventKind.OUTCOME,
            actor=officer,
            note=row.summary[:500],
            data={"outcome": str(row.pk), "kind": row.kind},
        )
    return closed


def petition_mediate(
    *,
    petition,
    officer: Officer,
    outcome: OutcomeInput,
    version: int | None = None,
    note: str = "",
) -> Petition:
    """Close the matter by a mediation agreement (调解协议, Art 33), with the agreement itself."""
    ensure_role(officer, *workflow.step(Transition.MEDIATE).roles)
    values = _checked_outcome(OutcomeInput(**{**outcome.__dict__, "kind": OutcomeKind.MEDIATED}))
    with transaction.atomic():
        locked = cases_services.lock_petition(petition)
        workflow.ensure_version(locked, version)
        now = timezone.now()
        row = Outcome.objects.create(
            petition=locked, recorded_at=now, recorded_by=officer, **values
        )
        with _outcome_for(row):
            workflow.apply(
                locked,
                Transition.MEDIATE,
                officer=officer,
                expected_version=version,
                note=note,
                at=now,
                data={
                    "outcome": str(row.pk),
                    "document": {
                        "kind": DocumentKind.MEDIATION_AGREEMENT,
                        "title": row.agreement_title,
                        "text": row.agreement_text,
                    },
                },
            )
        locked.closed_at = now
        return _store(locked, "closed_at")


# --- reopening for re-handling (重新办理) ---------------------------------------------------------


def reopen(
    petition: Petition,
    *,
    officer: Officer | None,
    cause: str,
    visit: Visit | None = None,
    reason: str = "",
    satisfaction: str = "",
    by_petitioner: bool = False,
) -> Reopening:
    """Send a locked petition back to re-handling, counted: the earlier opinion and rating are
    kept in the reopening; a new handling limit starts. `by_petitioner`: the petitioner's own
    dissatisfied rating online started it (no officer)."""
    reply = Reply.objects.filter(petition=petition).first()
    rating = satisfaction or (
        Evaluation.objects.filter(petition=petition).values_list("satisfaction", flat=True).first()
        or ""
    )
    from_status = petition.status
    calendar = deadlines.OfficeCalendar.load()
    due = calendar.due(timezone.localdate(), ResolutionSettings.current().rehandling_days)
    workflow.apply(
        petition,
        Transition.REOPEN,
        officer=officer,
        note=reason[:500],
        data={
            "cause": cause,
            "handling_due": due.isoformat(),
            "visit": str(visit.pk) if visit else None,
        },
        by_petitioner=by_petitioner,
    )
    reopening = Reopening.objects.create(
        petition=petition,
        cause=cause,
        from_status=from_status,
        previous_opinion=reply.opinion if reply else "",
        previous_satisfaction=rating,
        visit=visit,
        reason=reason,
        at=timezone.now(),
        by=officer,
    )
    petition.handling_due, petition.closed_at = due, None
    _store(petition, "handling_due", "closed_at")
    return reopening


def petition_reopen(
    *, petition, officer: Officer, reason: str, version: int | None = None
) -> Petition:
    """A leader sends a matter back for re-handling (cause `leader`)."""
    ensure_role(officer, Role.LEADER)
    reason = _text(reason, "reason")
    with transaction.atomic():
        locked = cases_services.lock_petition(petition)
        workflow.ensure_version(locked, version)
        reopen(locked, officer=officer, cause=ReopenCause.LEADER, reason=reason)
    return locked


def reopen_when_dissatisfied(petition: Petition, *, officer: Officer | None, event) -> None:
    """Workflow consequence of `evaluate`: a dissatisfied rating reopens the matter at once, also
    when the petitioner gave it online; never a matter its re-review ended (Art 36)."""
    rating = event.data.get("satisfaction")
    if rating == Satisfaction.DISSATISFIED and finality.matter_ended(petition) is None:
        reopen(
            petition,
            officer=officer,
            cause=ReopenCause.DISSATISFIED,
            reason="信访人评价不满意",
            satisfaction=rating,
            by_petitioner=event.data.get("by") == workflow.PETITIONER,
        )


# --- care after termination (Art 37) --------------------------------------------------------------


def _sync_care_plan(plan: CarePlan) -> None:
    office = current_office()
    CarePlanEntry.objects.update_or_create(
        care_plan_id=plan.pk,
        defaults={
            "office": office,
            "lineage_codes": office.lineage_codes,
            "petition_id": plan.petition_id,
            "reference": plan.petition.reference,
            "measures": plan.measures,
            "next_contact_on": plan.next_contact_on,
            "visits": plan.visits.filter(status=VisitStatus.HELD).count(),
            "status": plan.status,
            "created_at": plan.created_at,
        },
    )


def care_plan_open(
    *,
    officer: Officer,
    petition,
    measures: Sequence[str],
    plan: str,
    owner: Officer | OfficerRef | None,
    contact_every_days: int,
) -> CarePlan:
    """After termination (终结) the office keeps relieving and helping (疏导、化解、帮扶)."""
    ensure_role(officer, Role.LEADER)
    measures = sorted({_choice(m, CareMeasure, "measures") for m in measures})
    if not measures:
        raise ValidationError(
            "a care plan names its measures", code=ErrorCode.REQUIRED, field="measures"
        )
    if not 1 <= contact_every_days <= 366:
        raise ValidationError(
            "contact every 1 to 366 days", code=ErrorCode.INVALID_INPUT, field="contactEveryDays"
        )
    owner = _one_officer(owner, field="ownerId", code=ErrorCode.OWNER_REQUIRED)
    plan_text = _text(plan, "plan")
    with transaction.atomic():
        petition = cases_services.lock_petition(petition, field="petitionId")
        if petition.status != "terminated":
            raise ResolutionError(
                "a care plan follows a terminated matter (终结)",
                code=ErrorCode.NOT_TERMINATED,
                field="petitionId",
            )
        if petition.care_plans.filter(status=CarePlanStatus.OPEN).exists():
            raise ResolutionError("the matter has an open care plan", field="petitionId")
        now = timezone.now()
        care = CarePlan.objects.create(
            petition=petition,
            measures=measures,
            plan=plan_text,
            owner=owner,
            contact_every_days=contact_every_days,
            created_at=now,
            created_by=officer,
            next_contact_on=timezone.localdate(now) + datetime.timedelta(days=contact_every_days),
        )
        events.record(
            petition,
            EventKind.CARE_PLAN_OPENED,
            actor=officer,
            note=plan_text[:500],
            data={"care_plan": str(care.pk), "measures": measures},
        )
        _sync_care_plan(care)
    return care


def _care_contact(plan: CarePlan, *, held_at: datetime.datetime) -> None:
    """A visit under the plan: the next contact moves on."""
    plan.next_contact_on = timezone.localdate(held_at) + datetime.timedelta(
        days=plan.contact_every_days
    )
    plan.save(update_fields=["next_contact_on"])
    _sync_care_plan(plan)


def care_plan_end(*, officer: Officer, care_plan, note: str) -> CarePlan:
    ensure_role(officer, Role.LEADER)
    note = _text(note, "note")
    with transaction.atomic():
        plan = _get(CarePlan, care_plan, field="id", lock=True, what="care plan")
        if plan.status != CarePlanStatus.OPEN:
            raise ResolutionError("the care plan has ended already")
        plan.status, plan.ended_at, plan.end_note = CarePlanStatus.ENDED, timezone.now(), note
        plan.save(update_fields=["status", "ended_at", "end_note"])
        events.record(
            plan.petition,
            EventKind.CARE_PLAN_ENDED,
            actor=officer,
            note=note[:500],
            data={"care_plan": str(plan.pk)},
        )
        _sync_care_plan(plan)
    return plan


# --- the daily scan ------------------------------------------------------------------------------

DUE_SOON_DAYS = 3


def _record_late_return_visits(late: list[tuple[Petition, datetime.date]], *, today, now):
    """One `return_visit_overdue` event per petition and due day."""
    recorded = {
        (pk, due)
        for pk, due in PetitionEvent.objects.filter(
            kind=EventKind.RETURN_VISIT_OVERDUE, petition__in=[p for p, _ in late]
        ).values_list("petition_id", "data__due")
    }
    PetitionEvent.objects.bulk_create(
        PetitionEvent(
            petition=p, kind=EventKind.RETURN_VISIT_OVERDUE, at=now, from_status=p.status,
            to_status=p.status, data={"due": due.isoformat(), "days_late": (today - due).days},
        )
        for p, due in late
        if (p.pk, due.isoformat()) not in recorded
    )  # fmt: skip


def _record_late_items(*, today, now) -> None:
    """One `action_item_overdue` event per open item and due day."""
    late = list(
        ActionItem.objects.filter(status=ItemStatus.OPEN, due_on__lt=today)
        .select_for_update(skip_locked=True, of=("self",))
        .exclude(overdue_recorded_for=models_F("due_on"))
        .select_related("petition")
    )
    PetitionEvent.objects.bulk_create(
        PetitionEvent(
            petition=petition, kind=EventKind.ACTION_ITEM_OVERDUE, at=now,
            from_status=petition.status, to_status=petition.status,
            data={"item": str(item.pk), "due": item.due_on.isoformat()},
        )
        for item in late
        if (petition := item.petition) is not None
    )  # fmt: skip
    ActionItem.objects.filter(pk__in=[i.pk for i in late]).update(
        overdue_recorded_for=models_F("due_on")
    )


def scan_office(*, today: datetime.date | None = None) -> ResolutionScan:
    """The current office's daily scan: one event per overdue return visit and action item (once
    per row and due day), the month's metrics recomputed, the counts stored for the overview.
    Idempotent per office and day: an office already scanned today is skipped."""
    today = today or timezone.localdate()
    office = current_office()
    done = ResolutionScan.objects.filter(office=office, day=today).first()
    if done is not None:
        return done
    soon, now = today + datetime.timedelta(days=DUE_SOON_DAYS), timezone.now()
    with transaction.atomic():
        outstanding = selectors.return_visits_outstanding(today=today)
        late_visits = [(p, due) for p, due in outstanding if due < today]
        _record_late_return_visits(late_visits, today=today, now=now)
        _record_late_items(today=today, now=now)
        for month in {today.replace(day=1), today.replace(day=1) - datetime.timedelta(days=1)}:
            metrics.metrics_compute(month=month, today=today)
        open_items = ActionItem.objects.filter(status=ItemStatus.OPEN)
        scan, _ = ResolutionScan.objects.get_or_create(office=office, day=today, defaults={
            "visits_due_soon": sum(today <= due <= soon for _, due in outstanding),
            "visits_overdue": len(late_visits),
            "items_due_soon": open_items.filter(due_on__gte=today, due_on__lte=soon).count(),
            "items_overdue": open_items.filter(due_on__lt=today).count(),
            "hard_cases_overdue": HardCase.objects.filter(
                status=HardCaseStatus.OPEN, target_date__lt=today).count(),
            "care_contacts_overdue": CarePlan.objects.filter(
                status=CarePlanStatus.OPEN, next_contact_on__lt=today).count(),
            "finished_at": timezone.now(),
        })  # fmt: skip
    return scan
