"""Progress lookup for petitioners (可查询): reference number + query code, throttled.

The query code belongs to the matter (every copy keeps it), so the petitioner's one code and any
reference of the matter open the whole path from any office host: every office the matter passed
through with its reference and dates, the office handling it now, and the public steps and
documents of each office, naming the office that issued them. Never internal notes, officers'
names or other petitioners' data. A copy the matter was escalated with (上报) is the higher
office's oversight, not a step of the petitioner's path, and is left out.

Two limits, both in Redis: per client address, at most `LOOKUPS_PER_CLIENT` lookups per window;
per reference number, after `WRONG_CODES_PER_REFERENCE` wrong codes in a window the reference is
locked, even for the right code, until the window passes. An unknown reference and a wrong code
give the same answer, so references cannot be probed.
"""

import datetime
import hmac
from dataclasses import dataclass

from django.core.cache import cache
from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import EventKind, Petition, PetitionEvent, Status
from xinfang.platform.cases.services import query_code_hash
from xinfang.platform.errors import ErrorCode, NotFound, ServiceError
from xinfang.platform.registry.models import PetitionRecord

WINDOW_SECONDS = 15 * 60
LOOKUPS_PER_CLIENT = 30
WRONG_CODES_PER_REFERENCE = 5

PUBLIC_STATUS = {
    Status.REGISTERED: "已登记",
    Status.ROUTED: "办理中",
    Status.ACCEPTED: "已受理",
    Status.IN_HANDLING: "办理中",
    Status.IN_HEARING: "办理中",
    Status.DECLINED: "不予受理",
    Status.TRANSFERRED: "已转送有权处理机关",
    Status.ASSIGNED_OUT: "已交办有权处理机关",
    Status.REPLIED: "已答复",
    Status.EVALUATED: "已答复",
    Status.CLOSED: "已办结",
    Status.TERMINATED: "已终结",
}
# A copy in these states has passed the matter on: another office handles it now.
PASSED_ON = (Status.TRANSFERRED, Status.ASSIGNED_OUT)
ESCALATION = "escalate"  # the handoff kind whose copy is oversight, not the petitioner's path


class Throttled(ServiceError):
    code = ErrorCode.THROTTLED


@dataclass(frozen=True)
class ProgressDocument:
    kind: str
    title: str
    text: str
    sent_at: datetime.datetime
    office: str  # the office that issued it


@dataclass(frozen=True)
class ProgressStep:
    kind: str
    at: datetime.datetime
    office: str


@dataclass(frozen=True)
class ProgressOffice:
    """One office on the matter's path, as the petitioner may know it."""

    name: str
    code: str
    reference: str
    arrived_by: str  # "" where the matter was first registered, else the handoff kind
    received_at: datetime.datetime
    status: str  # as told to the petitioner
    status_code: str
    accepted_at: datetime.datetime | None
    replied_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    sent_on_at: datetime.datetime | None  # when it transferred or assigned the matter on


@dataclass(frozen=True)
class Progress:
    """The matter as the petitioner sees it; the dates at the top are those of the copy the
    reference names, the path, steps and documents span every office."""

    reference: str
    status: str
    registered_at: datetime.datetime
    routed_at: datetime.datetime | None
    accepted_at: datetime.datetime | None
    declined_at: datetime.datetime | None
    extended_at: datetime.datetime | None
    extended_until: datetime.date | None
    replied_at: datetime.datetime | None
    offices: list[ProgressOffice]
    handling_office: ProgressOffice
    steps: list[ProgressStep]
    documents: list[ProgressDocument]


def _reference_key(reference: str) -> str:
    """References name their office (`330106-2026-000123`): one counter wherever it is tried."""
    return f"progress:wrong:{reference}"


def _client_key(client: str) -> str:
    """One budget per client across every office host: a scraper gains nothing by switching."""
    return f"progress:client:{client}"


def _hit(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def petition_progress(*, reference: str, query_code: str, client: str) -> Progress:
    """The petitioner's view of their matter, from any of its references, or NOT_FOUND /
    THROTTLED."""
    reference = (reference or "").strip()
    if _hit(_client_key(client)) > LOOKUPS_PER_CLIENT:
        raise Throttled("too many lookups; try again later")
    wrong_key = _reference_key(reference)
    if (cache.get(wrong_key) or 0) >= WRONG_CODES_PER_REFERENCE:
        raise Throttled("too many wrong query codes for this reference; try again later")
    record = (
        PetitionRecord.objects.filter(reference=reference)
        .select_related("office")
        .only("petition_id", "matter_id", "office")
        .first()
    )
    if not _code_matches(record, reference, query_code):
        _hit(wrong_key)
        raise NotFound(
            "no petition with this reference number and query code", code=ErrorCode.NOT_FOUND
        )
    return _matter_progress(record)


def _code_matches(record: PetitionRecord | None, reference: str, query_code: str) -> bool:
    """The code checked against the copy's stored HMAC (a dummy one for an unknown reference)."""
    expected, matter = "0" * 64, reference
    if record is not None:
        with tenant_context(record.office):
            expected = (
                Petition.objects.filter(pk=record.petition_id)
                .values_list("query_code_hash", flat=True)
                .first()
            ) or expected
        matter = record.matter_id
    return hmac.compare_digest(expected, query_code_hash(matter, query_code or ""))


def _matter_progress(looked_up: PetitionRecord) -> Progress:
    """The path read from the registry, each copy's public events from its own schema: two
    queries in the public schema and one per office on the path."""
    copies = []
    for record in (
        PetitionRecord.objects.filter(matter_id=looked_up.matter_id)
        .select_related("office")
        .order_by("registered_at", "petition_id")
    ):
        events = _public_events(record)
        if _arrived_by(events) != ESCALATION or record.petition_id == looked_up.petition_id:
            copies.append((record, events))
    names = {record.office.code: record.office.name for record, _ in copies}
    path = [_office_on_path(record, events) for record, events in copies]
    timeline = sorted(
        ((record, e) for record, events in copies for e in events), key=lambda pair: pair[1].at
    )
    own_record, own_events = next(c for c in copies if c[0].petition_id == looked_up.petition_id)
    first: dict[str, PetitionEvent] = {}
    for event in own_events:
        first.setdefault(event.kind, event)
    extension = first.get(EventKind.EXTEND)
    return Progress(
        reference=own_record.reference,
        status=PUBLIC_STATUS.get(own_record.status, ""),
        registered_at=own_record.registered_at,
        routed_at=_at(first.get(EventKind.ROUTE) or first.get(EventKind.RECEIVED)),
        accepted_at=_at(first.get(EventKind.ACCEPT)),
        declined_at=_at(first.get(EventKind.DECLINE)),
        extended_at=_at(extension),
        extended_until=(
            datetime.date.fromisoformat(extension.data["handling_due"]) if extension else None
        ),
        replied_at=_at(first.get(EventKind.REPLY)),
        offices=path,
        handling_office=next(
            (o for o in reversed(path) if o.status_code not in PASSED_ON), path[-1]
        ),
        steps=[ProgressStep(kind=e.kind, at=e.at, office=r.office.name) for r, e in timeline],
        documents=[
            ProgressDocument(
                kind=e.data["document"].get("kind", ""),
                title=e.data["document"]["title"],
                text=e.data["document"]["text"],
                sent_at=e.at,
                # An opinion from the level above is kept with the copy it answers: its issuer
                # is the office its event names.
                office=names.get(e.data.get("office", ""), r.office.name),
            )
            for r, e in timeline
            if "document" in e.data
        ],
    )


def _public_events(record: PetitionRecord) -> list[PetitionEvent]:
    with tenant_context(record.office):
        return list(
            PetitionEvent.objects.filter(petition_id=record.petition_id, public=True)
            .only("kind", "at", "data")
            .order_by("at", "id")
        )


def _arrived_by(events: list[PetitionEvent]) -> str:
    """How the copy reached its office: "" where it was registered, else the handoff's kind."""
    return next((e.data.get("kind", "") for e in events if e.kind == EventKind.RECEIVED), "")


def _office_on_path(record: PetitionRecord, events: list[PetitionEvent]) -> ProgressOffice:
    sent_on = [e for e in events if e.kind in (EventKind.TRANSFER, EventKind.ASSIGN_OUT)]
    return ProgressOffice(
        name=record.office.name,
        code=record.office.code or "",
        reference=record.reference,
        arrived_by=_arrived_by(events),
        received_at=record.registered_at,
        status=PUBLIC_STATUS.get(record.status, ""),
        status_code=record.status,
        accepted_at=record.accepted_at,
        replied_at=record.replied_at,
        closed_at=record.closed_at,
        sent_on_at=sent_on[-1].at if sent_on else None,
    )


def _at(event):
    return event.at if event else None
