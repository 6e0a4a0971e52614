"""Office metrics for a period: received, first-time vs repeat (初信初访), on time, extended,
satisfaction — in total, by channel and by category. Two aggregate queries over the period."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from xinfang.platform.cases.models import Petition, Satisfaction
from xinfang.platform.cases.selectors import _day_start


@dataclass(frozen=True)
class Figures:
    received: int
    first_time: int
    repeat: int
    accepted: int
    accepted_on_time: int
    completed: int
    completed_on_time: int
    extended: int
    evaluated: int
    satisfied: int  # satisfied or basically satisfied

    @property
    def satisfaction_rate(self) -> float | None:
        return round(self.satisfied / self.evaluated, 4) if self.evaluated else None


@dataclass(frozen=True)
class Breakdown:
    key: str
    figures: Figures


@dataclass(frozen=True)
class PeriodMetrics:
    """One office's figures over a period (the monthly public rollups are
    `supervision.models.OfficeMetrics`)."""

    start: datetime.date
    end: datetime.date
    total: Figures
    by_channel: list[Breakdown]
    by_category: list[Breakdown]


_AGGREGATES = {
    "received": Count("id"),
    "first_time": Count("id", filter=Q(is_repeat=False)),
    "repeat": Count("id", filter=Q(is_repeat=True)),
    "accepted": Count("id", filter=Q(accepted_at__isnull=False)),
    # Both deadlines are dates in the office's time zone; the timestamps are compared as dates.
    "accepted_on_time": Count(
        "id", filter=Q(accepted_at__isnull=False, accepted_at__date__lte=F("accept_due"))
    ),
    "completed": Count("id", filter=Q(replied_at__isnull=False)),
    "completed_on_time": Count(
        "id", filter=Q(replied_at__isnull=False, replied_at__date__lte=F("handling_due"))
    ),
    "extended": Count("id", filter=Q(extended=True)),
    "evaluated": Count("id", filter=~Q(satisfaction="")),
    "satisfied": Count(
        "id",
        filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]),
    ),
}


def _grouped(qs: QuerySet, column: str) -> list[Breakdown]:
    rows = qs.values(column).annotate(**_AGGREGATES).order_by(column)
    return [Breakdown(key=row.pop(column), figures=Figures(**row)) for row in rows]


def office_metrics(*, start: datetime.date, end: datetime.date) -> PeriodMetrics:
    """Figures for the petitions registered in this office from `start` to `end` (inclusive)."""
    qs = Petition.objects.filter(
        registered_at__gte=_day_start(start),
        registered_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )
    by_channel = _grouped(qs, "channel")
    by_category = _grouped(qs, "category")
    total = Figures(
        **{name: sum(getattr(b.figures, name) for b in by_channel) for name in _AGGREGATES}
    )
    return PeriodMetrics(
        start=start, end=end, total=total, by_channel=by_channel, by_category=by_category
    )
