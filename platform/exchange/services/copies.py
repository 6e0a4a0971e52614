"""The receiver's own copy of a handed-off petition, and whose identity it may carry.

The copy is registered through the cases service in the receiver's schema (same `matter_id`, its
own reference number), then routed to the receiver with its acceptance deadline (or accepted, for
a review request). An accusation (检举控告) never reaches the body it accuses with the reporter's
identity.
"""

import datetime
import re

from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.cases import deadlines, workflow
from xinfang.platform.cases.models import Petition
from xinfang.platform.cases.services import PetitionerInput, PetitionInput, petition_register
from xinfang.platform.cases.workflow import LedgerTransition
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.exchange.services import common
from xinfang.platform.registry import services as registry
from xinfang.tenants.models import Office

OBJECTION_WORKING_DAYS = 5
WITHHELD_NAME = "（检举人身份保密）"


def region_names(office: Office) -> set[str]:
    """How people name the office's area: "杭州市西湖区" and "西湖区" for 杭州市西湖区信访局."""
    area = re.sub(r"(人民政府)?信访(局|办|办公室|委员会)?$", "", office.name.strip())
    units = re.findall(r"[^省市区县旗州盟]+[省市区县旗州盟]", area)
    return {name for name in (area, *(units[-1:])) if len(name) >= 2}


def identity_withheld_from(petition: Petition, receiver: Office) -> bool:
    """An accusation (检举控告) never reaches the office or body it accuses with the reporter's
    identity: true when the accused body names the receiving office or its area."""
    if not petition.is_accusation or not petition.accused_body:
        return False
    accused = petition.accused_body
    if receiver.code and receiver.code in accused:
        return True
    return any(name in accused for name in region_names(receiver))


def _copy_input(petition: Petition, *, handoff: Handoff, sender: Office) -> PetitionInput:
    """What the receiver registers: the sender's petition, its people (read in the sender's
    schema) unless the reporter's identity is withheld."""
    if handoff.identity_withheld:
        people = [PetitionerInput(name=WITHHELD_NAME)]
    else:
        with tenant_context(sender):
            people = [
                PetitionerInput(
                    name=p.name,
                    id_number=p.id_number,
                    phone=p.phone,
                    address=p.address,
                    is_representative=p.is_representative,
                )
                for p in petition.petitioners.all()
            ]
    return PetitionInput(
        channel=petition.channel,
        category=petition.category,
        place=petition.place,
        content=petition.content,
        petitioners=people,
        request=petition.request,
        place_code=petition.place_code,
        accused_body=petition.accused_body,
        accused_kind=petition.accused_kind,
        accused_division_code=petition.accused_division_code,
        is_accusation=petition.is_accusation,
        is_repeat=petition.is_repeat,
        repeat_of_matter=petition.repeat_of_matter,
        matter_id=petition.matter_id,
        source_office_code=sender.code or "",
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
        common.checkpoint("receiver_copy")
        calendar = deadlines.OfficeCalendar.load()
        copy.is_collective = petition.is_collective
        copy.accept_due = deadlines.accept_due(calendar, start=today)
        if arrival == LedgerTransition.RECEIVE_FOR_REVIEW:
            copy.accepted_at = now
            copy.handling_due = handling_due
        workflow.apply(
            copy,
            arrival,
            officer=None,
            data={
                "handoff": str(handoff.pk),
                "kind": handoff.kind,
                "from": sender.code,
                "from_reference": petition.reference,
                "identity_withheld": handoff.identity_withheld,
            },
        )
        copy.next_due = deadlines.next_due(copy)
        copy.save(
            update_fields=workflow.changed_fields(
                "is_collective", "accept_due", "accepted_at", "handling_due"
            )
        )
        registry.sync(copy)
        _point_ledger_at(handoff, copy, calendar=calendar, today=today)
    return copy


def _point_ledger_at(handoff: Handoff, copy: Petition, *, calendar, today) -> None:
    """The ledger row names the receiver's copy and the receiver's deadlines."""
    handoff.receiver_petition_id = copy.pk
    handoff.receiver_reference = copy.reference
    handoff.accept_due = copy.accept_due
    handoff.objection_due = common.working_days_after(calendar, today, OBJECTION_WORKING_DAYS)
    handoff.save(
        update_fields=["receiver_petition_id", "receiver_reference", "accept_due", "objection_due"]
    )
