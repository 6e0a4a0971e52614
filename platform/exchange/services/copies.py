"""The receiver's own copy of a handed-off petition, and whose identity it may carry.

The copy is registered through the cases service in the receiver's schema (same `matter_id`, its
own reference number), then routed to the receiver with its acceptance deadline (or accepted, for
a review request). An accusation (检举控告) never reaches the body it accuses with the reporter's
identity.

What an app above exchange keeps about a petition and that must travel with it (the attachments
filed online: platform/publicsite) follows the copy through the listeners registered with
`on_copy`, called in the handoff's transaction — never for a copy that withholds the reporter's
identity, whose files could reveal it.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.cases import deadlines, workflow
from xinfang.platform.cases.models import DocumentKind, Petition
from xinfang.platform.cases.services import PetitionerInput, PetitionInput, petition_register
from xinfang.platform.cases.workflow import LedgerTransition
from xinfang.platform.exchange.models import Handoff, HandoffKind
from xinfang.platform.exchange.services import common
from xinfang.platform.pii import redact_reporter
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.visibility import reporter_withheld_from
from xinfang.tenants.models import Office

OBJECTION_WORKING_DAYS = 5
WITHHELD_NAME = "（检举人身份保密）"

# listener(original, copy, sender=…): runs in the receiver's schema; `original` lives in `sender`.
CopyListener = Callable[..., None]
_copy_listeners: list[CopyListener] = []


def on_copy(listener: CopyListener) -> None:
    """Call `listener(original, copy, sender=…)` for every receiver copy made (at start-up)."""
    if listener not in _copy_listeners:
        _copy_listeners.append(listener)


def identity_withheld_from(petition: Petition, receiver: Office) -> bool:
    """An accusation (检举控告, Art 30) never reaches, with the reporter's identity, an office whose
    jurisdiction contains the accused body, at every hop (`visibility.reporter_withheld_from`)."""
    return reporter_withheld_from(
        is_accusation=petition.is_accusation,
        accused_division_code=petition.accused_division_code,
        office_code=receiver.code or "",
    )


def _copy_input(petition: Petition, *, handoff: Handoff, sender: Office) -> PetitionInput:
    """What the receiver registers: the sender's petition, its people (read in the sender's
    schema) unless the reporter's identity is withheld."""
    with tenant_context(sender):
        people = [
            PetitionerInput(
                name=p.name,
                id_number=p.id_number,
                phone=p.phone,
                email=p.email,
                address=p.address,
                is_representative=p.is_representative,
            )
            for p in petition.petitioners.all()
        ]
    place, content, request = petition.place, petition.content, petition.request
    if handoff.identity_withheld:
        place, content, request = (_redacted(t, people) for t in (place, content, request))
        people = [PetitionerInput(name=WITHHELD_NAME)]
    return PetitionInput(
        channel=petition.channel,
        category=petition.category,
        petitioners=people,
        place=place,
        content=content,
        request=request,
        place_code=petition.place_code,
        accused_body=petition.accused_body,
        accused_kind=petition.accused_kind,
        accused_division_code=petition.accused_division_code,
        is_accusation=petition.is_accusation,
        is_repeat=petition.is_repeat,
        repeat_of_matter=petition.repeat_of_matter,
        matter_id=petition.matter_id,
        source_office_code=sender.code or "",
        query_code_hash=petition.query_code_hash,
    )


def _redacted(text: str, people: list[PetitionerInput]) -> str:
    """The text without the reporters' names, ID and phone numbers, e-mail and addresses."""
    return redact_reporter(
        text,
        names=[p.name for p in people],
        addresses=[p.address for p in people],
        numbers=[n for p in people for n in (p.id_number, p.phone, p.email)],
    )


def receive_copy(
    petition: Petition,
    *,
    handoff: Handoff,
    sender: Office,
    receiver: Office,
    arrival: LedgerTransition = LedgerTransition.RECEIVE,
    handling_due: datetime.date | None = None,
) -> Petition:
    """The receiver's own copy, its registry row, and the ledger row pointing at it. It arrives
    routed to the receiver (`RECEIVE`) or, for a review request, accepted with its opinion due
    (`RECEIVE_FOR_REVIEW`)."""
    data = _copy_input(petition, handoff=handoff, sender=sender)
    now = timezone.now()
    today = timezone.localdate(now)
    with tenant_context(receiver):
        copy = petition_register(data=data, officer=None).petition
        if not handoff.identity_withheld:
            for listener in _copy_listeners:
                listener(petition, copy, sender=sender)
        common.checkpoint("receiver_copy")
        calendar = deadlines.OfficeCalendar.load()
        copy.is_collective = petition.is_collective
        copy.accept_due = deadlines.accept_due(calendar, start=today)
        if arrival == LedgerTransition.RECEIVE_FOR_REVIEW:
            copy.accepted_at = now
            copy.handling_due = handling_due
        arrived: dict = {
            "handoff": str(handoff.pk),
            "kind": handoff.kind,
            "from": sender.code,
            "from_reference": petition.reference,
            "identity_withheld": handoff.identity_withheld,
        }
        if arrival == LedgerTransition.RECEIVE_FOR_REVIEW:
            arrived["document"] = _review_received(handoff.kind, receiver, handling_due)
        workflow.apply(copy, arrival, officer=None, data=arrived)
        copy.next_due = deadlines.next_due(copy)
        copy.save(
            update_fields=workflow.changed_fields(
                "is_collective", "accept_due", "accepted_at", "handling_due"
            )
        )
        registry.sync(copy)
        _point_ledger_at(handoff, copy, calendar=calendar, today=today)
    return copy


def _review_received(kind: str, receiver: Office, due: datetime.date | None) -> dict:
    """The petitioner learns that the review (复查) or re-review (复核) request was taken up, by
    whom, and by when its opinion is due (Art 35)."""
    recheck = kind == HandoffKind.RECHECK
    what = "复核" if recheck else "复查"
    by = f"将于{due:%Y年%m月%d日}前" if due else "将依法"
    text = f"您的{what}请求已由{receiver.name}受理，{by}出具{what}意见。"
    document = DocumentKind.RECHECK_RECEIVED if recheck else DocumentKind.REVIEW_RECEIVED
    return common.document(document, f"{what}受理告知书", text)


def _point_ledger_at(handoff: Handoff, copy: Petition, *, calendar, today) -> None:
    """The ledger row names the receiver's copy and the receiver's deadlines."""
    handoff.receiver_petition_id = copy.pk
    handoff.receiver_reference = copy.reference
    handoff.accept_due = copy.accept_due
    handoff.objection_due = common.working_days_after(calendar, today, OBJECTION_WORKING_DAYS)
    handoff.save(
        update_fields=["receiver_petition_id", "receiver_reference", "accept_due", "objection_due"]
    )
