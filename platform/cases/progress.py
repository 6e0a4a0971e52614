"""Progress lookup for petitioners (可查询): reference number + query code, throttled.

Shows only what the petitioner is entitled to: the dates of registration, routing, acceptance or
non-acceptance, extension and reply, and the documents sent to them. Never internal notes,
officers' names or other petitioners' data.

Two limits, both in Redis: per client address, at most `LOOKUPS_PER_CLIENT` lookups per window;
per reference number, after `WRONG_CODES_PER_REFERENCE` wrong codes in a window the reference is
locked, even for the right code, until the window passes. An unknown reference and a wrong code
give the same answer, so references cannot be probed.
"""

import datetime
import hmac
from dataclasses import dataclass

from django.core.cache import cache

from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.cases.services import query_code_hash
from xinfang.platform.errors import ErrorCode, NotFound, ServiceError

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


class Throttled(ServiceError):
    code = ErrorCode.THROTTLED


@dataclass(frozen=True)
class ProgressDocument:
    title: str
    text: str
    sent_at: datetime.datetime


@dataclass(frozen=True)
class ProgressStep:
    kind: str
    at: datetime.datetime


@dataclass(frozen=True)
class Progress:
    reference: str
    status: str
    registered_at: datetime.datetime
    routed_at: datetime.datetime | None
    accepted_at: datetime.datetime | None
    declined_at: datetime.datetime | None
    extended_at: datetime.datetime | None
    extended_until: datetime.date | None
    replied_at: datetime.datetime | None
    steps: list[ProgressStep]
    documents: list[ProgressDocument]


def _reference_key(reference: str) -> str:
    from django.db import connection

    return f"progress:{connection.schema_name}:wrong:{reference}"


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
    """The petitioner's view of their petition, or NOT_FOUND / THROTTLED."""
    reference = (reference or "").strip()
    if _hit(_client_key(client)) > LOOKUPS_PER_CLIENT:
        raise Throttled("too many lookups; try again later")
    wrong_key = _reference_key(reference)
    if (cache.get(wrong_key) or 0) >= WRONG_CODES_PER_REFERENCE:
        raise Throttled("too many wrong query codes for this reference; try again later")
    petition = Petition.objects.filter(reference=reference).only("id", "matter_id", "reference",
        "status", "registered_at", "query_code_hash").first()  # fmt: skip
    expected = petition.query_code_hash if petition else "0" * 64
    matter = petition.matter_id if petition else reference
    if not hmac.compare_digest(expected, query_code_hash(matter, query_code or "")):
        _hit(wrong_key)
        raise NotFound(
            "no petition with this reference number and query code", code=ErrorCode.NOT_FOUND
        )
    events = list(
        petition.events.filter(public=True).only("kind", "at", "data").order_by("at", "id")
    )
    first = {}
    for event in events:
        first.setdefault(event.kind, event)
    extension = first.get("extend")
    return Progress(
        reference=petition.reference,
        status=PUBLIC_STATUS.get(petition.status, ""),
        registered_at=petition.registered_at,
        routed_at=_at(first.get("route")),
        accepted_at=_at(first.get("accept")),
        declined_at=_at(first.get("decline")),
        extended_at=_at(extension),
        extended_until=(
            datetime.date.fromisoformat(extension.data["handling_due"]) if extension else None
        ),
        replied_at=_at(first.get("reply")),
        steps=[ProgressStep(kind=e.kind, at=e.at) for e in events],
        documents=[
            ProgressDocument(
                title=e.data["document"]["title"], text=e.data["document"]["text"], sent_at=e.at
            )
            for e in events
            if "document" in e.data
        ],
    )


def _at(event):
    return event.at if event else None
