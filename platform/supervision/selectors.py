"""What a higher office sees across its subtree: the overview and the metrics.

Both read public tables only (registry rows, the handoff ledger, orders, metric rollups), never
an office schema, and only through `registry/visibility.py` (`subtree_records`: registry rows of
the subtree, which hold no content and no personal data). A fixed number of queries whatever the
size of the subtree.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from xinfang.platform.errors import NotFound
from xinfang.platform.exchange.models import UPWARD_KINDS, Handoff, HandoffStatus
from xinfang.platform.registry import visibility
from xinfang.platform.registry.models import OPEN_STATUSES, PetitionRecord
from xinfang.platform.registry.visibility import NotVisible
from xinfang.platform.supervision.models import OfficeMetrics, OrderStatus, SupervisionOrder
from xinfang.tenants.models import Office

_OPEN_HANDOFF = (
    HandoffStatus.PENDING,
    HandoffStatus.ACCEPTED,
    HandoffStatus.OBJECTED,
    HandoffStatus.DISPUTED,
)


@dataclass
class OfficeCounts:
    office: Office
    overdue: int = 0
    cross_level: int = 0
    skip_level: int = 0


@dataclass
class Overview:
    office: Office
    today: datetime.date
    overdue_count: int
    cross_level_count: int
    escalated_to_office_count: int
    handed_off_by_office_count: int
    overdue_orders_count: int
    # Unevaluated, each in its order: the caller reads the page it wants.
    overdue: QuerySet[PetitionRecord]
    cross_level: QuerySet[PetitionRecord]
    escalated_to_office: QuerySet[Handoff]
    handed_off_by_office: QuerySet[Handoff]
    overdue_orders: QuerySet[SupervisionOrder]
    by_office: list[OfficeCounts] = field(default_factory=list)


def _overdue(today: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, next_due__lt=today)


def _counts_by_office(records, offices: dict, *, overdue: Q, cross: Q) -> list[OfficeCounts]:
    """Overdue, cross-level and skip-level counts of the offices that have any: two grouped
    counts, each answered from its partial index alone (no heap reads)."""
    per_office = {pk: {"overdue": 0, "cross_level": 0, "skip_level": 0} for pk in offices}
    for row in (
        records.filter(overdue).values("office_id").annotate(n=Count("office_id")).order_by()
    ):
        per_office[row["office_id"]]["overdue"] = row["n"]
    for row in (
        records.filter(cross)
        .values("office_id", "is_skip_level")
        .annotate(n=Count("office_id"))
        .order_by()
    ):
        per_office[row["office_id"]]["cross_level"] += row["n"]
        if row["is_skip_level"]:
            per_office[row["office_id"]]["skip_level"] += row["n"]
    per_office = {pk: row for pk, row in per_office.items() if row["overdue"] or row["cross_level"]}
    return [
        OfficeCounts(
            office=offices[pk],
            overdue=row["overdue"],
            cross_level=row["cross_level"],
            skip_level=row["skip_level"],
        )
        for pk, row in per_office.items()
    ]


def overview(*, office: Office, today: datetime.date | None = None) -> Overview:
    """Escalated to the office, handed off by it, cross-level and overdue in its subtree, and its
    overdue supervision orders; counts per office of the subtree. Five queries, and one per list
    page read."""
    today = today or timezone.localdate()
    offices = {o.pk: o for o in office.subtree()}
    ids = list(offices)
    records = visibility.subtree_records(office, ids)
    overdue, cross = _overdue(today), Q(is_cross_level=True)
    by_office = _counts_by_office(records, offices, overdue=overdue, cross=cross)
    by_office.sort(key=lambda c: (-c.overdue, c.office.code))
    upward = Q(receiver_office=office, kind__in=UPWARD_KINDS, status__in=_OPEN_HANDOFF)
    sent = Q(sender_office=office, status__in=_OPEN_HANDOFF)
    handoff_counts = Handoff.objects.filter(upward | sent).aggregate(
        upward=Count("pk", filter=upward), sent=Count("pk", filter=sent)
    )
    late_orders = SupervisionOrder.objects.filter(
        issuer_office_id__in=ids, status=OrderStatus.OPEN, due_date__lt=today
    )
    handoffs = Handoff.objects.select_related("sender_office", "receiver_office")
    return Overview(
        office=office,
        today=today,
        overdue_count=sum(c.overdue for c in by_office),
        cross_level_count=sum(c.cross_level for c in by_office),
        escalated_to_office_count=handoff_counts["upward"],
        handed_off_by_office_count=handoff_counts["sent"],
        overdue_orders_count=late_orders.count(),
        overdue=records.filter(overdue).select_related("office").order_by("next_due", "pk"),
        cross_level=records.filter(cross)
        .select_related("office")
        .order_by("-registered_at", "-pk"),
        escalated_to_office=handoffs.filter(upward).order_by("-created_at", "-id"),
        handed_off_by_office=handoffs.filter(sent).order_by("-created_at", "-id"),
        overdue_orders=late_orders.select_related("issuer_office", "target_office").order_by(
            "due_date", "id"
        ),
        by_office=by_office,
    )


def orders(*, office: Office, issued: bool, status: str | None = None):
    """Orders the office issued, or received."""
    qs = SupervisionOrder.objects.filter(
        **({"issuer_office": office} if issued else {"target_office": office})
    )
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("issuer_office", "target_office").order_by("due_date", "-created_at")


@dataclass
class Metrics:
    """Counts with the rates derived from them (None when there is nothing to rate)."""

    office: Office | None
    registered: int = 0
    acceptance_due: int = 0
    accepted_on_time: int = 0
    handling_due: int = 0
    completed_on_time: int = 0
    evaluated: int = 0
    satisfied: int = 0
    repeat: int = 0
    skip_level_registered: int = 0
    skip_level_about: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def timely_acceptance_rate(self):
        return self._rate(self.accepted_on_time, self.acceptance_due)

    @property
    def on_time_completion_rate(self):
        return self._rate(self.completed_on_time, self.handling_due)

    @property
    def satisfaction_rate(self):
        return self._rate(self.satisfied, self.evaluated)

    @property
    def repeat_rate(self):
        return self._rate(self.repeat, self.registered)

    @property
    def skip_level_rate(self):
        return self._rate(self.skip_level_registered, self.registered)


COUNT_FIELDS = (
    "registered", "acceptance_due", "accepted_on_time", "handling_due", "completed_on_time",
    "evaluated", "satisfied", "repeat", "skip_level_registered", "skip_level_about",
)  # fmt: skip


@dataclass
class SubtreeMetrics:
    total: Metrics
    offices: list[Metrics]
    # What the figures cover (the resolution figures of the same subtree and period join them).
    office: Office | None = None
    from_month: datetime.date | None = None
    to_month: datetime.date | None = None


def subtree_metrics(
    *, office: Office, from_month: datetime.date, to_month: datetime.date
) -> SubtreeMetrics:
    """Per office of the subtree and for the whole subtree, from the monthly rollups (2 queries)."""
    offices = {o.pk: o for o in office.subtree()}
    rows = (
        OfficeMetrics.objects.filter(
            office_id__in=list(offices),
            month__gte=from_month.replace(day=1),
            month__lte=to_month.replace(day=1),
        )
        .values("office_id")
        .annotate(**{name: Sum(name) for name in COUNT_FIELDS})
        .order_by()
    )
    sums: list[dict] = sorted(
        (dict(row) for row in rows), key=lambda s: offices[s["office_id"]].code or ""
    )
    per_office = [
        Metrics(office=offices[s["office_id"]], **{n: s[n] for n in COUNT_FIELDS}) for s in sums
    ]
    total = Metrics(office=office)
    for metrics in per_office:
        for name in COUNT_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(metrics, name))
    # A skip-level petition about a lower office that was registered higher up in the same
    # subtree is counted once, where it was registered.
    total.skip_level_about = 0
    return SubtreeMetrics(
        total=total, offices=per_office, office=office, from_month=from_month, to_month=to_month
    )


def order_for(*, office: Office, order_id) -> SupervisionOrder:
    """One order, if the office issued it or received it (else NOT_FOUND / NOT_VISIBLE)."""
    order = (
        SupervisionOrder.objects.select_related("issuer_office", "target_office")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound("no such supervision order", field="id")
    if office.pk not in (order.issuer_office_id, order.target_office_id):
        raise NotVisible("this order does not concern this office")
    return order
