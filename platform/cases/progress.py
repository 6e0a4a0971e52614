"""Progress lookup for petitioners (可查询): reference number + query code, throttled.

The query code belongs to the matter (every copy keeps it), so the petitioner's one code and any
reference of the matter open the whole path from any office host: every office the matter passed
through with its reference and dates, the office handling it now, and the public steps and
documents of each office, naming the office that issued them. Never internal notes, officers'
names or other petitioners' data. A copy the matter was escalated with (上报) is the higher
office's oversight, not a step of the petitioner's path, and is left out.

Wrong codes slow the guesser down with growing delays (platform/delays.py), never a lockout: per
client (its address, behind `XINFANG_TRUSTED_PROXIES`: platform/http.py), one count across every
office host, waiting up to 15 minutes; and per reference, whoever guesses and on whichever host,
waiting at most a minute, so someone who knows a reference can delay its petitioner by a minute
at worst, never shut them out. Each attempt is counted in the same step that checks its wait,
so concurrent guesses get no extra tries; the online receipt (notices) checks codes through
`verified_record` too, so both share the counts. A query code is 12 characters of 31 (about 59
bits): at one guess a minute per reference, finding one takes longer than the age of the
universe. An unknown
reference and a wrong code give the same answer, so references cannot be probed (they may stay
sequential).
"""

import datetime
import hmac
from dataclasses import dataclass

from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import EventKind, Petition, PetitionEvent, Status
from xinfang.platform.cases.services import query_code_hash
from xinfang.platform.delays import Backoff, Throttled
from xinfang.platform.errors import ErrorCode, NotFound
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.validation import clean_text, max_length

DAY = 24 * 60 * 60
# A petitioner's own typos cost nothing for five tries; then 2 s, 4 s, … up to the cap.
CLIENT_BACKOFF = Backoff("progress-client", free=5, base=2, cap=15 * 60, memory=DAY)
REFERENCE_BACKOFF = Backoff("progress-reference", free=5, base=2, cap=60, memory=DAY)

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
    # The office's own deadlines (its registry row): the one that applies now (`next_due`: route,
    # accept or reply, by its status), the acceptance and handling deadlines, and whether the
    # handling deadline was extended.
    next_due: datetime.date | None = None
    accept_due: datetime.date | None = None
    handling_due: datetime.date | None = None
    extended: bool = False


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


def petition_progress(*, reference: str, query_code: str, client: str) -> Progress:
    """The petitioner's view of their matter, from any of its references, or NOT_FOUND /
    THROTTLED (with `retryAfter`)."""
    record = verified_record(reference=reference, query_code=query_code, client=client)
    return _matter_progress(record)


def verified_record(*, reference: str, query_code: str, client: str) -> PetitionRecord:
    """The registry row of the copy `reference` names, once `query_code` is its matter's, or
    NOT_FOUND / THROTTLED (with `retryAfter`). Every way in by query code (this lookup, the
    online receipt) goes through here, so a guesser has one count whichever they use."""
    reference = clean_text(
        (reference or "").strip(), field="reference", max_length=max_length(Petition, "reference")
    )
    # References name their office (`330106-2026-000123`): one count wherever it is tried.
    by_client = CLIENT_BACKOFF.attempt(
        client, "too many wrong query codes from here; wait and try again"
    )
    try:
        REFERENCE_BACKOFF.attempt(
            reference, "too many wrong query codes for this reference; wait and try again"
        )
    except Throttled:
        by_client.undo()  # a refused attempt guessed nothing
        raise
    record = (
        PetitionRecord.objects.filter(reference=reference)
        .select_related("office")
        .only("petition_id", "matter_id", "office")
        .first()
    )
    if not _code_matches(record, reference, query_code):
        raise NotFound(
            "no petition with this reference number and query code", code=ErrorCode.NOT_FOUND
        )
    # The petitioner's success clears the reference; the client gets back this attempt only,
    # or a guesser could reset their count by looking up a petition of their own between guesses.
    REFERENCE_BACKOFF.forget(reference)
    by_client.undo()
    return record


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
        next_due=record.next_due,
        accept_due=record.accept_due,
        handling_due=record.handling_due,
        extended=record.extended,
    )


def _at(event):
    return event.at if event else None
