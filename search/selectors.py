"""Reads of the search app. Every Elasticsearch query an officer can cause starts from
`scoped_search`, which restricts it to the petitions the office may see (`viewer_codes`, decided by
registry/visibility.py): an office finds only what it may see, whatever the input."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from elasticsearch import dsl

from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.search.client import interactive_client, is_unavailable
from xinfang.search.documents import alias_name
from xinfang.search.models import CollectiveAlert, RepeatCandidate, RepeatCheck
from xinfang.search.services import SearchUnavailable

FACETS = {"category": "category", "channel": "channel", "status": "status", "office": "office_code"}
MAX_PAGE = 100
MAX_QUERY_CHARS = 500
TEXT_FIELDS = ["content^3", "request", "place^2", "accused_body^2"]


def scoped_search(office, *, index: str | None = None) -> dsl.Search:
    """A search over the petitions `office` may see. The only way search code starts a query."""
    return dsl.Search(using=interactive_client(), index=index or alias_name()).filter(
        "term", viewer_codes=office.code
    )


@dataclass(frozen=True)
class SearchFilters:
    categories: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    office_codes: list[str] = field(default_factory=list)
    registered_from: datetime | None = None
    registered_to: datetime | None = None
    is_repeat: bool | None = None
    is_collective: bool | None = None


@dataclass
class SearchHit:
    petition_id: str
    reference: str
    office_code: str
    office_level: str
    category: str
    channel: str
    status: str
    registered_at: datetime
    place: str
    accused_body: str
    is_repeat: bool
    is_collective: bool
    score: float
    highlights: list[str]


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[tuple[str, int]]]


# Never sent back to an officer's search: the text (highlights carry the matching fragments)
# and the person HMACs.
EXCLUDED_FROM_HITS = ["content", "request", "person_keys", "phone_keys"]


def search_petitions(
    *,
    office,
    text: str = "",
    filters: SearchFilters | None = None,
    offset: int = 0,
    size: int = 20,
    index: str | None = None,
) -> SearchResult:
    """Full-text search for officers, with highlights and facets, within the office's visibility.

    Filters narrow the scoped search (they never widen it); facets count within the text query
    and the other filters' scope (each facet ignores its own filter, so it lists alternatives).
    """
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError(
            "the search text is too long", code=ErrorCode.QUERY_TOO_LONG, field="text"
        )
    if not 0 < size <= MAX_PAGE or offset < 0 or offset + size > 10_000:
        raise ValidationError("page out of range", code=ErrorCode.INVALID_PAGE, field="first")
    search = officer_search(office, text, filters or SearchFilters(), index=index)
    try:
        response = search[offset : offset + size].execute()
    except Exception as exc:
        if is_unavailable(exc):
            raise SearchUnavailable("search is unavailable, try again shortly") from exc
        raise
    hits = [_hit(hit) for hit in response.hits]
    facets = {
        name: [(b.key, b.doc_count) for b in getattr(response.aggregations, f"{name}_scope")[name]]
        for name in FACETS
    }
    return SearchResult(total=response.hits.total.value, hits=hits, facets=facets)


def officer_search(office, text: str, filters: SearchFilters, *, index: str | None = None):
    """The query of `search_petitions`, scoped, filtered, faceted and highlighted, with the
    excluded fields left out of every hit's source."""
    search = scoped_search(office, index=index)
    if text:
        # Each word separately: a shingle across the space between two words would match nothing.
        words = [
            dsl.Q("multi_match", query=w, fields=TEXT_FIELDS, operator="and") for w in text.split()
        ]
        search = search.query(
            "bool",
            should=[dsl.Q("bool", must=words), dsl.Q("term", reference=text)],
            minimum_should_match=1,
        )
    else:
        search = search.sort("-registered_at")
    facet_filters = {
        "category": _terms("category", filters.categories),
        "channel": _terms("channel", filters.channels),
        "status": _terms("status", filters.statuses),
        "office": _terms("office_code", filters.office_codes),
    }
    for extra in _other_filters(filters):
        search = search.filter(extra)
    for name, field_name in FACETS.items():
        others = [q for key, q in facet_filters.items() if key != name and q is not None]
        bucket = search.aggs.bucket(f"{name}_scope", "filter", filter=dsl.Q("bool", filter=others))
        bucket.bucket(name, "terms", field=field_name, size=50)
    active = [q for q in facet_filters.values() if q is not None]
    if active:
        search = search.post_filter("bool", filter=active)
    search = search.highlight(
        "content", "request", "place", "accused_body",
        fragment_size=80, number_of_fragments=3, pre_tags=["<em>"], post_tags=["</em>"],
    )  # fmt: skip
    return search.source(excludes=EXCLUDED_FROM_HITS)


def _terms(field_name: str, values: list[str]):
    return dsl.Q("terms", **{field_name: list(values)}) if values else None


def _other_filters(filters: SearchFilters):
    dates = {}
    if filters.registered_from:
        dates["gte"] = filters.registered_from.isoformat()
    if filters.registered_to:
        dates["lte"] = filters.registered_to.isoformat()
    if dates:
        yield dsl.Q("range", registered_at=dates)
    if filters.is_repeat is not None:
        yield dsl.Q("term", is_repeat=filters.is_repeat)
    if filters.is_collective is not None:
        yield dsl.Q("term", is_collective=filters.is_collective)


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a date and time from the index: {value!r}")
    return parsed


def _hit(hit) -> SearchHit:
    highlight = getattr(hit.meta, "highlight", None)
    fragments: list[str] = []
    if highlight:
        for name in ("content", "request", "place", "accused_body"):
            fragments.extend(getattr(highlight, name, []))
    return SearchHit(
        petition_id=hit.petition_id,
        reference=hit.reference,
        office_code=hit.office_code,
        office_level=hit.office_level,
        category=hit.category,
        channel=hit.channel,
        status=hit.status,
        # Elasticsearch returns the date as text: typed here, once (it broke GraphQL's DateTime).
        registered_at=_as_datetime(hit.registered_at),
        place=hit.place,
        accused_body=getattr(hit, "accused_body", ""),
        is_repeat=hit.is_repeat,
        is_collective=hit.is_collective,
        score=hit.meta.score or 0.0,
        highlights=fragments,
    )


def repeat_check_of(petition_id) -> RepeatCheck | None:
    return RepeatCheck.objects.filter(petition_id=petition_id).first()


def repeat_candidates_of(petition_id) -> list[RepeatCandidate]:
    return list(RepeatCandidate.objects.filter(petition_id=petition_id))


def with_details(office, candidates: list[RepeatCandidate]) -> list[RepeatCandidate]:
    """Set each candidate's `can_open` (may this office open it, read now from the registry, not
    from when it was found) and `details` (its content, for those it may open; None for the
    others, and for all while search is unavailable)."""
    can_open = openable(office, [str(c.candidate_petition_id) for c in candidates])
    details = _details(office, can_open)
    for candidate in candidates:
        key = str(candidate.candidate_petition_id)
        candidate.can_open = key in can_open
        candidate.details = details.get(key)
    return candidates


def _details(office, petition_ids: set[str]) -> dict[str, dict]:
    if not petition_ids:
        return {}
    try:
        found = scoped_search(office).filter("ids", values=sorted(petition_ids))
        response = (
            found[: len(petition_ids)]
            .source(
                includes=["petition_id", "category", "channel", "place", "accused_body", "content"]
            )
            .execute()
        )
    except Exception as exc:
        if is_unavailable(exc):
            return {}
        raise
    return {hit.petition_id: hit.to_dict() for hit in response.hits}


@dataclass(frozen=True)
class AlertFilters:
    """Narrows the office's collective alerts; every given condition must hold."""

    state: str | None = None
    states: tuple[str, ...] = ()
    active_from: datetime | None = None  # its latest petition at or after this
    active_to: datetime | None = None  # its first petition at or before this
    office_codes: tuple[str, ...] = ()  # it has a petition at one of these offices


def collective_alerts(filters: AlertFilters = AlertFilters()) -> QuerySet[CollectiveAlert]:
    """The office's collective alerts, latest activity first."""
    alerts = CollectiveAlert.objects.order_by("-last_registered_at", "-id")
    if filters.state:
        alerts = alerts.filter(state=filters.state)
    if filters.states:
        alerts = alerts.filter(state__in=filters.states)
    if filters.active_from:
        alerts = alerts.filter(last_registered_at__gte=filters.active_from)
    if filters.active_to:
        alerts = alerts.filter(first_registered_at__lte=filters.active_to)
    if filters.office_codes:
        alerts = alerts.filter(office_codes__overlap=list(filters.office_codes))
    return alerts


def openable(office, petition_ids) -> set[str]:
    """The petitions among `petition_ids` (any office's) whose details `office` may open, read
    now from the registry (registry/visibility.py): what `crossOfficePetition` would allow."""
    from xinfang.platform.registry.models import PetitionRecord

    return {
        str(pk)
        for pk in PetitionRecord.objects.filter(
            petition_id__in=list(petition_ids), viewer_codes__contains=[office.code]
        ).values_list("petition_id", flat=True)
    }


def collective_alert_get(alert_id) -> CollectiveAlert | None:
    return CollectiveAlert.objects.filter(pk=alert_id).first()


@dataclass
class RepeatCheckView:
    """A stored repeat check as an office may see it (candidates carry `.details` or None)."""

    state: str
    available: bool
    unavailable_code: str | None
    checked_at: datetime | None
    on_terminated_matter: bool
    candidates: list[RepeatCandidate]

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def repeat_candidate_get(*, office, candidate_id) -> RepeatCandidate | None:
    """One repeat candidate of this office's petitions, with what the office may see of it."""
    candidate = RepeatCandidate.objects.filter(pk=candidate_id).first()
    return candidate_view(office, candidate) if candidate else None


def candidate_view(office, candidate: RepeatCandidate) -> RepeatCandidate:
    return with_details(office, [candidate])[0]


def repeat_check_view(*, office, petition_id) -> RepeatCheckView | None:
    check = repeat_check_of(petition_id)
    if check is None:
        return None
    candidates = with_details(office, repeat_candidates_of(petition_id))
    return RepeatCheckView(
        state=check.state,
        available=check.state == RepeatCheck.State.DONE,
        unavailable_code=(
            SearchUnavailable.code if check.state == RepeatCheck.State.UNAVAILABLE else None
        ),
        checked_at=check.checked_at,
        on_terminated_matter=check.on_terminated_matter,
        candidates=candidates,
    )
