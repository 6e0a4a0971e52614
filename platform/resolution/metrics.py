"""Resolution metrics: counts per office and month (computed in the office's schema, stored in
the public `ResolutionMetrics` row), and their sums over a subtree. Rates derive from counts.
Definitions: docs/resolution.md."""

import datetime
from dataclasses import dataclass, fields

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from xinfang.platform.cases import deadlines
from xinfang.platform.cases.models import EventKind, PetitionEvent, Reply
from xinfang.platform.resolution.ledger.models import ResolutionMetrics
from xinfang.platform.resolution.models import (
    ActionItem,
    HardCase,
    HardCaseStatus,
    ItemKind,
    ItemStatus,
    Outcome,
    OutcomeKind,
    Reopening,
    ResolutionSettings,
    Visit,
    VisitKind,
    VisitStatus,
)
from xinfang.search.models import CollectiveAlert


@dataclass
class Figures:
    """Counts, and the rates derived from them (None when there is nothing to rate)."""

    opinions: int = 0
    return_visits_due: int = 0
    return_visits_held: int = 0
    return_visits_on_time: int = 0
    items_due: int = 0
    items_done: int = 0
    closed: int = 0
    resolved: int = 0
    reopened: int = 0
    hard_cases_due: int = 0
    hard_cases_resolved_in_time: int = 0
    collective_alerts: int = 0
    collective_alerts_visited: int = 0
    appointment_visits: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def return_visit_coverage(self):
        return self._rate(self.return_visits_held, self.return_visits_due)

    @property
    def return_visit_timeliness(self):
        return self._rate(self.return_visits_on_time, self.return_visits_held)

    @property
    def implementation_rate(self):
        return self._rate(self.items_done, self.items_due)

    @property
    def resolution_rate(self):
        return self._rate(self.resolved, self.closed)

    @property
    def reopen_rate(self):
        return self._rate(self.reopened, self.opinions)

    @property
    def hard_cases_in_time_rate(self):
        return self._rate(self.hard_cases_resolved_in_time, self.hard_cases_due)

    @property
    def collective_alerts_visited_rate(self):
        return self._rate(self.collective_alerts_visited, self.collective_alerts)


COUNTS = tuple(f.name for f in fields(Figures))


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of the month and the first day of the next."""
    first = month.replace(day=1)
    return first, (first + datetime.timedelta(days=32)).replace(day=1)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def office_figures(*, month: datetime.date, today: datetime.date | None = None) -> Figures:
    """The current office's counts for one month (run in its schema). Opinions, closures,
    reopenings and appointment visits count in the month they happened; return visits by the
    month of the opinion; items and hard cases by the month they fell due."""
    today = today or timezone.localdate()
    first, after = month_bounds(month)
    start, end = _aware(first), _aware(after)
    figures = Figures()
    figures.opinions = PetitionEvent.objects.filter(
        kind=EventKind.REPLY, at__gte=start, at__lt=end
    ).count()

    settings = ResolutionSettings.current()
    calendar = deadlines.OfficeCalendar.load()
    replies = Reply.objects.filter(issued_at__gte=start, issued_at__lt=end).values_list(
        "petition_id", "issued_at"
    )
    replies = list(replies)
    held: dict = {}
    for petition_id, at in Visit.objects.filter(
        kind=VisitKind.RETURN, status=VisitStatus.HELD, petitions__in=[pk for pk, _ in replies]
    ).values_list("petitions", "held_at"):
        held.setdefault(petition_id, []).append(at)
    for petition_id, issued_at in replies:
        due = calendar.due(timezone.localdate(issued_at), settings.return_visit_days)
        visited = min((at for at in held.get(petition_id, []) if at >= issued_at), default=None)
        if visited is None and due >= today:
            continue  # not due yet, and not visited: it counts once it is
        figures.return_visits_due += 1
        if visited is not None:
            figures.return_visits_held += 1
            figures.return_visits_on_time += timezone.localdate(visited) <= due

    due_items = ActionItem.objects.filter(
        kind=ItemKind.IMPLEMENTATION, due_on__gte=first, due_on__lt=after
    ).filter(Q(due_on__lt=today) | Q(status=ItemStatus.DONE))
    items = due_items.aggregate(due=Count("pk"), done=Count("pk", filter=Q(status=ItemStatus.DONE)))
    figures.items_due, figures.items_done = items["due"], items["done"]

    closures = Outcome.objects.filter(recorded_at__gte=start, recorded_at__lt=end).aggregate(
        closed=Count("pk"),
        resolved=Count("pk", filter=Q(kind__in=(OutcomeKind.SOLVED, OutcomeKind.MEDIATED))),
    )
    figures.closed, figures.resolved = closures["closed"], closures["resolved"]
    figures.reopened = Reopening.objects.filter(at__gte=start, at__lt=end).count()

    cases = HardCase.objects.filter(target_date__gte=first, target_date__lt=after).filter(
        Q(target_date__lt=today) | Q(status=HardCaseStatus.RESOLVED)
    )
    figures.hard_cases_due = cases.count()
    figures.hard_cases_resolved_in_time = sum(
        timezone.localdate(at) <= target
        for at, target in cases.filter(status=HardCaseStatus.RESOLVED).values_list(
            "resolved_at", "target_date"
        )
    )

    answered = Visit.objects.filter(
        kind=VisitKind.APPOINTMENT,
        status=VisitStatus.HELD,
        collective_group_id=OuterRef("group_id"),
    )
    alerts = CollectiveAlert.objects.filter(
        role=CollectiveAlert.Role.INVOLVED, detected_at__gte=start, detected_at__lt=end
    ).aggregate(all=Count("pk"), visited=Count("pk", filter=Q(Exists(answered))))
    figures.collective_alerts, figures.collective_alerts_visited = alerts["all"], alerts["visited"]
    figures.appointment_visits = Visit.objects.filter(
        kind=VisitKind.APPOINTMENT, status=VisitStatus.HELD, held_at__gte=start, held_at__lt=end
    ).count()
    return figures


def metrics_compute(*, month: datetime.date, today: datetime.date | None = None):
    """Recompute the current office's row for the month (an idempotent upsert)."""
    figures = office_figures(month=month, today=today)
    row, _ = ResolutionMetrics.objects.update_or_create(
        office=connection.tenant,
        month=month.replace(day=1),
        defaults={
            **{name: getattr(figures, name) for name in COUNTS},
            "computed_at": timezone.now(),
        },
    )
    return row


@dataclass
class OfficeFigures:
    office: object
    figures: Figures


@dataclass
class SubtreeFigures:
    total: Figures
    offices: list[OfficeFigures]


def subtree_figures(
    *, office, from_month: datetime.date, to_month: datetime.date
) -> SubtreeFigures:
    """Per office of the subtree and for the whole subtree, from the monthly rows (2 queries)."""
    offices = {o.pk: o for o in office.subtree()}
    rows = (
        ResolutionMetrics.objects.filter(
            office_id__in=list(offices),
            month__gte=from_month.replace(day=1),
            month__lte=to_month.replace(day=1),
        )
        .values("office_id")
        .annotate(**{name: Sum(name) for name in COUNTS})
        .order_by()
    )
    per_office = [
        OfficeFigures(
            office=offices[row["office_id"]], figures=Figures(**{n: row[n] for n in COUNTS})
        )
        for row in rows
    ]
    per_office.sort(key=lambda f: f.office.code)
    total = Figures()
    for item in per_office:
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(item.figures, name))
    return SubtreeFigures(total=total, offices=per_office)
