"""Progress lookup for petitioners (可查询): reference number + query code, throttled.

Shows only what the petitioner is entitled to: the dates of registration, routing, acceptance or
non-acceptance, extension and reply, and the documents sent to them. Never internal notes,
officers' names or other petitioners' data.

Wrong codes slow the guesser down with growing delays (platform/delays.py), never a lockout: per
client (its address, behind `XINFANG_TRUSTED_PROXIES`: platform/http.py), one count across every
office host, waiting up to 15 minutes; and per reference, whoever guesses, waiting at most a
minute, so someone who knows a reference can delay its petitioner by a minute at worst, never
shut them out. A query code is 12 characters of 31 (about 59 bits): at one guess a minute per
reference, finding one takes longer than the age of the universe. An unknown reference and a
wrong code give the same answer, so references cannot be probed (they may stay sequential).
"""

import datetime
import hmac
from dataclasses import dataclass

from django.db import connection

from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.cases.services import query_code_hash
from xinfang.platform.delays import Backoff
from xinfang.platform.errors import ErrorCode, NotFound
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


def petition_progress(*, reference: str, query_code: str, client: str) -> Progress:
    """The petitioner's view of their petition, or NOT_FOUND / THROTTLED (with `retryAfter`)."""
    reference = clean_text(
        (reference or "").strip(), field="reference", max_length=max_length(Petition, "reference")
    )
    # The client's count is shared by every office host: a guesser gains nothing by switching.
    reference_key = f"{connection.schema_name}:{reference}"
    CLIENT_BACKOFF.check(client, "too many wrong query codes from here; wait and try again")
    REFERENCE_BACKOFF.check(
        reference_key, "too many wrong query codes for this reference; wait and try again"
    )
    petition = Petition.objects.filter(reference=reference).only("id", "matter_id", "reference",
        "status", "registered_at", "query_code_hash").first()  # fmt: skip
    expected = petition.query_code_hash if petition else "0" * 64
    matter = petition.matter_id if petition else reference
    if not hmac.compare_digest(expected, query_code_hash(matter, query_code or "")):
        CLIENT_BACKOFF.failed(client)
        REFERENCE_BACKOFF.failed(reference_key)
        raise NotFound(
            "no petition with this reference number and query code", code=ErrorCode.NOT_FOUND
        )
    # The petitioner's success clears the reference; never the client's count, or a guesser
    # could reset it by looking up a petition of their own between guesses.
    REFERENCE_BACKOFF.succeeded(reference_key)
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
