"""Reads of petitions inside one office: lists with keyset pagination, details, timelines."""

import base64
import datetime
import json
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xinfang.platform.cases import deadlines
from xinfang.platform.cases.models import Petition, Petitioner, PetitionEvent, Status
from xinfang.platform.cases.workflow import awaiting_statuses
from xinfang.platform.errors import ErrorCode, ValidationError


class Ordering(StrEnum):
    REGISTERED_DESC = "registered_desc"
    REGISTERED_ASC = "registered_asc"
    DUE_ASC = "due_asc"


@dataclass(frozen=True)
class PetitionFilters:
    statuses: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # "01.01" or a whole top level "01"
    handler_id: int | None = None
    overdue: bool | None = None
    due_states: list[str] = field(default_factory=list)  # deadlines.due_state values
    registered_from: datetime.date | None = None
    registered_to: datetime.date | None = None  # inclusive
    # Flags: True / False keep only petitions with / without it; None does not filter.
    is_repeat: bool | None = None
    is_skip_level: bool | None = None
    is_collective: bool | None = None
    is_accusation: bool | None = None
    # Only petitions waiting for a decision this officer may take (workflow.awaiting_statuses).
    awaiting: object | None = None

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.statuses:
            qs = qs.filter(status__in=self.statuses)
        if self.channels:
            qs = qs.filter(channel__in=self.channels)
        exact = [c for c in self.categories if "." in c]
        tops = [c for c in self.categories if "." not in c]
        if exact and not tops:
            qs = qs.filter(category__in=exact)
        elif self.categories:
            q = Q(category__in=exact)
            for top in tops:
                q |= Q(category__startswith=f"{top}.")
            qs = qs.filter(q)
        if self.handler_id is not None:
            qs = qs.filter(handler_id=self.handler_id)
        today = timezone.localdate()
        if self.overdue is True:
            qs = qs.filter(next_due__lt=today)
        elif self.overdue is False:
            qs = qs.filter(Q(next_due__isnull=True) | Q(next_due__gte=today))
        if self.due_states:
            qs = qs.filter(_due_states_q(self.due_states, today))
        for flag in FLAGS:
            if (wanted := getattr(self, flag)) is not None:
                qs = qs.filter(**{flag: wanted})
        if self.awaiting is not None:
            qs = qs.filter(status__in=awaiting_statuses(self.awaiting))
        if self.registered_from:
            qs = qs.filter(registered_at__gte=_day_start(self.registered_from))
        if self.registered_to:
            qs = qs.filter(
                registered_at__lt=_day_start(self.registered_to + datetime.timedelta(days=1))
            )
        return qs


FLAGS = ("is_repeat", "is_skip_level", "is_collective", "is_accusation")


def _due_states_q(states: list[str], today: datetime.date) -> Q:
    """`next_due` ranges of deadlines.due_state's values, OR-ed (one index range each)."""
    soon = today + datetime.timedelta(days=deadlines.DUE_SOON_DAYS)
    ranges = {
        "none": Q(next_due__isnull=True),
        "overdue": Q(next_due__lt=today),
        "due_soon": Q(next_due__gte=today, next_due__lte=soon),
        "on_time": Q(next_due__gt=soon),
    }
    q = Q()
    for state in states:
        q |= ranges[state]
    return q


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- keyset pagination ----------------------------------------------------------------------------

_ORDER = {
    Ordering.REGISTERED_DESC: ("registered_at", "desc"),
    Ordering.REGISTERED_ASC: ("registered_at", "asc"),
    Ordering.DUE_ASC: ("next_due", "asc"),
}
_FAR_FUTURE = datetime.date(9999, 12, 31)


def encode_cursor(petition: Petition, ordering: Ordering) -> str:
    column, _ = _ORDER[ordering]
    value = getattr(petition, column)
    if column == "next_due":
        value = value or _FAR_FUTURE
    payload = json.dumps([ordering.value, value.isoformat(), str(petition.pk)])
    return base64.urlsafe_b64encode(payload.encode()).decode()


def _decode_cursor(cursor: str, ordering: Ordering, *, field: str):
    try:
        kind, value, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if kind != ordering.value:
            raise ValueError
        parsed = (
            datetime.date.fromisoformat(value)
            if _ORDER[ordering][0] == "next_due"
            else parse_datetime(value)
        )
        if parsed is None:
            raise ValueError
        return parsed, uuid.UUID(pk)
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationError(
            "invalid cursor (cursors belong to one ordering)",
            code=ErrorCode.INVALID_CURSOR,
            field=field,
        ) from None


@dataclass(frozen=True)
class Page:
    items: list[Petition]
    has_next_page: bool
    has_previous_page: bool
    ordering: Ordering


def petitions_page(
    *,
    filters: PetitionFilters,
    ordering: Ordering = Ordering.REGISTERED_DESC,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Page:
    """One page of the office's petitions, by keyset: no OFFSET, no COUNT.

    Forward (`first` after a cursor) or backward (`last` before a cursor), as Relay has it.
    `(column, id)` is compared as a row value, which PostgreSQL answers from the
    `(…, registered_at, id)` indexes however deep the page is; a backward page reads the same
    index the other way round.
    """
    if first is not None and last is not None:
        raise ValidationError("ask for first or last, not both", code=ErrorCode.INVALID_PAGINATION)
    backward = last is not None
    size: int = last if last is not None else (20 if first is None else first)
    column, direction = _ORDER[ordering]
    ascending = (direction == "asc") != backward
    qs = filters.apply(Petition.objects.select_related("handler"))
    if column == "next_due":
        sort_expr = f"COALESCE(cases_petition.next_due, '{_FAR_FUTURE.isoformat()}'::date)"
    else:
        sort_expr = f"cases_petition.{column}"
    for cursor, argument, later in ((after, "after", True), (before, "before", False)):
        if cursor:
            value, pk = _decode_cursor(cursor, ordering, field=argument)
            op = ">" if later == (direction == "asc") else "<"
            where = f"({sort_expr}, cases_petition.id) {op} (%s, %s)"
            qs = qs.extra(where=[where], params=[value, pk])
    sign = "" if ascending else "-"
    if column == "next_due":
        qs = qs.extra(select={"_sort": sort_expr}, order_by=[f"{sign}_sort", f"{sign}id"])
    else:
        qs = qs.order_by(f"{sign}{column}", f"{sign}id")
    items = list(qs[: size + 1])
    more, items = len(items) > size, items[:size]
    if backward:
        items.reverse()
    return Page(
        items=items,
        has_next_page=before is not None if backward else more,
        has_previous_page=more if backward else after is not None,
        ordering=ordering,
    )


def attach_list_relations(
    items: list[Petition],
    *,
    petitioners: bool,
    latest_event: bool,
    petitioner_numbers: bool = True,
) -> None:
    """Load a page's petitioners and latest events in one query each (not one per petition).

    Without `petitioner_numbers` the encrypted ID and phone numbers and e-mail are not read (nor
    decrypted).
    """
    ids = [p.pk for p in items]
    if not ids:
        return
    if petitioners:
        grouped: dict = {pk: [] for pk in ids}
        rows = Petitioner.objects.filter(petition_id__in=ids)
        if not petitioner_numbers:
            rows = rows.defer("id_number", "phone", "email")
        for petitioner in rows:
            grouped[petitioner.petition_id].append(petitioner)
        for petition in items:
            petition.list_petitioners = grouped[petition.pk]
    if latest_event:
        latest = {
            event.petition_id: event
            for event in PetitionEvent.objects.filter(petition_id__in=ids)
            .select_related("actor")
            .order_by("petition_id", "-at", "-id")
            .distinct("petition_id")
        }
        for petition in items:
            petition.list_latest_event = latest.get(petition.pk)


def petitions_count(*, filters: PetitionFilters) -> int:
    """Only when a client asks for `totalCount` (a COUNT over the filtered rows)."""
    return filters.apply(Petition.objects.all()).count()


def petition_status_counts() -> dict[str, int]:
    """How many of the office's petitions are in each status (one GROUP BY), every status listed."""
    counts = dict(
        Petition.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Status.values}


# --- detail and timeline --------------------------------------------------------------------------


def petition_get(pk) -> Petition | None:
    try:
        return Petition.objects.select_related("handler", "registered_by").get(pk=pk)
    except (Petition.DoesNotExist, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class DueNext:
    step: str
    due: datetime.date
    state: str  # on_time, due_soon, overdue


def due_next(petition: Petition) -> DueNext | None:
    """What the office must do next and by when (none in a hearing or once it has answered)."""
    step, due = deadlines.next_step(petition), deadlines.next_due(petition)
    if step is None or due is None:
        return None
    return DueNext(step=step, due=due, state=deadlines.due_state(due))


def petition_timeline(petition: Petition) -> list[PetitionEvent]:
    return list(petition.events.select_related("actor").order_by("at", "id"))
