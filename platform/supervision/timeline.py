"""A matter's journey across offices (the timeline), as far as an office may see it.

It joins what no single app holds: the events of every copy the office may view (read in that
copy's office), the handoff ledger and the supervision orders. It lives here, above exchange.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import PetitionEvent
from xinfang.platform.exchange.models import Handoff, HandoffKind
from xinfang.platform.registry import visibility
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.registry.visibility import NotVisible
from xinfang.platform.supervision.models import SupervisionOrder
from xinfang.tenants.models import Office

_RELATED = ("sender_office", "receiver_office", "decider_office")


class LedgerEntryKind(StrEnum):
    """The kind of a timeline entry that comes from the public ledger, not from a copy's events
    (those carry their `EventKind`)."""

    TRANSFER = "ledger:transfer"
    ASSIGN = "ledger:assign"
    ESCALATE = "ledger:escalate"
    REVIEW = "ledger:review"
    RECHECK = "ledger:recheck"
    SUPERVISION_ORDER = "ledger:supervision_order"


_HANDOFF_ENTRY = {
    HandoffKind.TRANSFER: LedgerEntryKind.TRANSFER,
    HandoffKind.ASSIGN: LedgerEntryKind.ASSIGN,
    HandoffKind.ESCALATE: LedgerEntryKind.ESCALATE,
    HandoffKind.REVIEW: LedgerEntryKind.REVIEW,
    HandoffKind.RECHECK: LedgerEntryKind.RECHECK,
}


@dataclass
class TimelineEntry:
    at: datetime
    office: Office
    kind: str
    reference: str = ""
    from_status: str = ""
    to_status: str = ""
    note: str = ""
    handoff: Handoff | None = None
    order: SupervisionOrder | None = None
    data: dict = field(default_factory=dict)


def matter_timeline(*, office: Office, matter_id: uuid.UUID) -> list[TimelineEntry]:
    """The whole journey of a matter across offices, as far as `office` may see it: the events of
    every copy it may view (read in that copy's office), and the ledger's handoffs and orders
    (their reasons only where it sees a copy they join). One query per visible copy."""
    records = list(PetitionRecord.objects.select_related("office").filter(matter_id=matter_id))
    visible = {r.petition_id: r for r in records if visibility.can_view(office, r)}
    if not visible:
        raise NotVisible("this office may not see that matter")
    entries: list[TimelineEntry] = []
    by_office: dict[int, list[PetitionRecord]] = {}
    for record in visible.values():
        by_office.setdefault(record.office_id, []).append(record)
    for records_here in by_office.values():
        here = records_here[0].office
        references = {r.petition_id: r.reference for r in records_here}
        with tenant_context(here):
            events = PetitionEvent.objects.filter(petition_id__in=list(references)).order_by(
                "at", "id"
            )
            for event in events:
                entries.append(
                    TimelineEntry(
                        at=event.at, office=here, kind=event.kind,
                        reference=references[event.petition_id], from_status=event.from_status,
                        to_status=event.to_status, note=event.note, data=event.data,
                    )
                )  # fmt: skip
    for handoff in Handoff.objects.select_related(*_RELATED).filter(matter_id=matter_id):
        joined = handoff.sender_petition_id in visible or handoff.receiver_petition_id in visible
        entries.append(
            TimelineEntry(
                at=handoff.created_at, office=handoff.sender_office,
                kind=_HANDOFF_ENTRY[handoff.kind], reference=handoff.sender_reference,
                to_status=handoff.status,
                note=handoff.reason if joined else "", handoff=handoff,
            )
        )  # fmt: skip
    orders = SupervisionOrder.objects.select_related("issuer_office", "target_office").filter(
        matter_id=matter_id
    )
    for order in orders:
        joined = order.petition_id in visible
        entries.append(
            TimelineEntry(
                at=order.created_at, office=order.issuer_office,
                kind=LedgerEntryKind.SUPERVISION_ORDER, reference=order.reference,
                to_status=order.status,
                note=order.instructions if joined else "", order=order,
            )
        )  # fmt: skip
    entries.sort(key=lambda e: e.at)
    return entries
