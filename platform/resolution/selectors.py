"""Reads of resolution work: an office's own visits, items and hard cases (its schema), and the
subtree ledgers higher offices see (public rows only, through the office's lineage)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.cases import deadlines
from xinfang.platform.cases.models import Petition
from xinfang.platform.resolution.ledger.models import CarePlanEntry, HardCaseEntry, ResolutionScan
from xinfang.platform.resolution.models import (
    INVESTIGATING,
    ActionItem,
    CarePlan,
    HardCase,
    HardCaseStatus,
    Investigation,
    ItemStatus,
    Outcome,
    ReceptionSession,
    Reopening,
    ResolutionSettings,
    ResolutionStep,
    Visit,
    VisitKind,
    VisitStatus,
)


def has_opinion(petition: Petition) -> bool:
    """The office has issued its written opinion (and not reopened the matter since)."""
    return petition.replied_at is not None and petition.status in (
        "replied",
        "evaluated",
        "closed",
        "terminated",
    )


def available_steps(petition: Petition, officer: Officer) -> list[ResolutionStep]:
    """The resolution steps this officer may record on the petition now: the preconditions the
    services check first (role, the petition's state, the opinion a return visit follows), so a
    client offers exactly what they accept."""
    if not officer.has_role(Role.HANDLER, Role.LEADER):
        return []
    steps = [ResolutionStep.INVESTIGATE] if petition.status in INVESTIGATING else []
    steps.append(ResolutionStep.APPOINTMENT_VISIT)
    if has_opinion(petition):
        steps.append(ResolutionStep.RETURN_VISIT)
    steps.append(ResolutionStep.FIELD_VISIT)
    return steps


def return_visit_due(
    petition: Petition,
    *,
    settings: ResolutionSettings,
    calendar: deadlines.OfficeCalendar,
) -> datetime.date | None:
    """The day the return visit (回访) of the current opinion is due, if there is one."""
    if not has_opinion(petition):
        return None
    issued = timezone.localdate(petition.replied_at)
    return calendar.due(issued, settings.return_visit_days)


def visits(
    *,
    kinds: list[str] | None = None,
    statuses: list[str] | None = None,
    petition_id=None,
) -> QuerySet[Visit]:
    qs = Visit.objects.all()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if petition_id is not None:
        qs = qs.filter(petitions__pk=petition_id)
    return qs.select_related("session__leader").prefetch_related("officers", "petitions")


def action_items(
    *, owner_id: int | None = None, statuses: list[str] | None = None, overdue: bool = False
) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.select_related("owner", "petition")
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if overdue:
        qs = qs.filter(status=ItemStatus.OPEN, due_on__lt=timezone.localdate())
    return qs.order_by("due_on", "id")


def hard_cases(*, statuses: list[str] | None = None) -> QuerySet[HardCase]:
    qs = HardCase.objects.select_related("leader", "petition").prefetch_related("milestones")
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("target_date", "id")


def reception_schedule(*, start: datetime.date, end: datetime.date) -> QuerySet[ReceptionSession]:
    """Published, not cancelled sessions between two days (inclusive): the public schedule."""
    return (
        ReceptionSession.objects.filter(
            published=True,
            cancelled_at__isnull=True,
            starts_at__date__gte=start,
            starts_at__date__lte=end,
        )
        .select_related("leader")
        .order_by("starts_at", "id")
    )


def hard_case_ledger(*, office, statuses: list[str] | None = None) -> QuerySet[HardCaseEntry]:
    """The hard cases (积案) of the office's whole subtree, from the public ledger."""
    qs = HardCaseEntry.objects.filter(lineage_codes__contains=[office.code])
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.select_related("office").order_by("target_date", "hard_case_id")


def care_plan_ledger(*, office, statuses: list[str] | None = None) -> QuerySet[CarePlanEntry]:
    qs = CarePlanEntry.objects.filter(lineage_codes__contains=[office.code])
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.select_related("office").order_by("next_contact_on", "care_plan_id")


@dataclass
class PetitionResolution:
    """Everything resolution knows about one petition (one query per part)."""

    petition: Petition
    return_visit_due: datetime.date | None
    investigation_required: bool
    visits: list[Visit] = field(default_factory=list)
    investigations: list[Investigation] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    reopenings: list[Reopening] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    hard_cases: list[HardCase] = field(default_factory=list)
    care_plans: list[CarePlan] = field(default_factory=list)


def petition_resolution(petition: Petition) -> PetitionResolution:
    settings = ResolutionSettings.current()
    return PetitionResolution(
        petition=petition,
        return_visit_due=return_visit_due(
            petition, settings=settings, calendar=deadlines.OfficeCalendar.load()
        ),
        investigation_required=settings.needs_investigation(petition.category),
        visits=list(visits(petition_id=petition.pk).order_by("created_at", "id")),
        investigations=list(petition.investigations.prefetch_related("sources")),
        outcomes=list(petition.outcomes.all()),
        reopenings=list(petition.reopenings.all()),
        action_items=list(petition.action_items.select_related("owner").order_by("due_on", "id")),
        hard_cases=list(hard_cases().filter(petition=petition)),
        care_plans=list(petition.care_plans.select_related("owner")),
    )


def return_visits_outstanding(*, today: datetime.date) -> list[tuple[Petition, datetime.date]]:
    """Petitions whose opinion awaits its return visit, with the day it is (or was) due."""
    settings = ResolutionSettings.current()
    calendar = deadlines.OfficeCalendar.load()
    held = Visit.objects.filter(
        kind=VisitKind.RETURN,
        status=VisitStatus.HELD,
        petitions=OuterRef("pk"),
        held_at__gte=OuterRef("replied_at"),
    )
    candidates = (
        Petition.objects.filter(
            replied_at__isnull=False, status__in=("replied", "evaluated", "closed")
        )
        .exclude(Exists(held))
        .only("id", "reference", "status", "replied_at")
    )
    due = [(p, return_visit_due(p, settings=settings, calendar=calendar)) for p in candidates]
    return [(p, day) for p, day in due if day is not None]


@dataclass
class Overview:
    """What needs attention across a subtree (public rows only; 2 queries)."""

    open_hard_cases: int
    overdue_hard_cases: int
    overdue_return_visits: int
    overdue_action_items: int
    overdue_care_contacts: int
    scanned_on: datetime.date | None


def overview(*, office, today: datetime.date | None = None) -> Overview:
    """Open and late hard cases from the ledger; overdue return visits, items and care contacts
    from each office's latest daily scan (one query with DISTINCT ON office)."""
    today = today or timezone.localdate()
    cases = HardCaseEntry.objects.filter(
        lineage_codes__contains=[office.code], status=HardCaseStatus.OPEN
    ).aggregate(open=Count("pk"), late=Count("pk", filter=Q(target_date__lt=today)))
    latest = (
        ResolutionScan.objects.filter(office__in=office.subtree(), day__lte=today)
        .order_by("office_id", "-day")
        .distinct("office_id")
    )
    scans = ResolutionScan.objects.filter(pk__in=latest.values("pk")).aggregate(
        visits=Sum("visits_overdue"),
        items=Sum("items_overdue"),
        care=Sum("care_contacts_overdue"),
        day=Max("day"),
    )
    return Overview(
        open_hard_cases=cases["open"],
        overdue_hard_cases=cases["late"],
        overdue_return_visits=scans["visits"] or 0,
        overdue_action_items=scans["items"] or 0,
        overdue_care_contacts=scans["care"] or 0,
        scanned_on=scans["day"],
    )
