"""Reads of the handoff ledger and of another office's petition, each shaped once and scoped to
an office.

Every read that reaches into another office's schema checks `registry/visibility.py` first.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import Petition
from xinfang.platform.errors import NotFound
from xinfang.platform.exchange.models import Handoff, HandoffStatus
from xinfang.platform.registry import visibility
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.registry.visibility import NotVisible
from xinfang.tenants.models import Office

_RELATED = ("sender_office", "receiver_office", "decider_office")


def inbox(*, office: Office, statuses: list[str] | None = None) -> QuerySet[Handoff]:
    """Handoffs sent to the office, and objections it has to decide as sender or superior."""
    received = Q(receiver_office=office)
    if statuses:
        received &= Q(status__in=statuses)
    to_decide = Q(
        decider_office=office, status__in=(HandoffStatus.OBJECTED, HandoffStatus.DISPUTED)
    )
    return (
        Handoff.objects.filter(received | to_decide)
        .select_related(*_RELATED)
        .order_by("-created_at", "-id")
    )


def outbox(*, office: Office, statuses: list[str] | None = None) -> QuerySet[Handoff]:
    """Handoffs the office sent (or, for review requests, asked for)."""
    qs = Handoff.objects.filter(Q(sender_office=office) | Q(initiator_office=office))
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.select_related(*_RELATED).order_by("-created_at", "-id")


def handoff_for(*, office: Office, handoff_id) -> Handoff:
    """One handoff, if the office is a party to it or decides its objection."""
    try:
        handoff = Handoff.objects.select_related(*_RELATED).get(pk=handoff_id)
    except (Handoff.DoesNotExist, ValueError):
        raise NotFound("no such handoff", field="id") from None
    parties = {handoff.sender_office_id, handoff.receiver_office_id, handoff.decider_office_id}
    if office.pk not in parties:
        raise NotVisible("this handoff does not concern this office")
    return handoff


@dataclass(frozen=True)
class PetitionView:
    """Another office's petition as an office allowed to see it reads it: no ID or phone."""

    record: PetitionRecord
    petition: Petition
    petitioner_names: list[str]


def petition_for(*, office: Office, petition_id) -> PetitionView:
    """Read a petition of any office, only when jurisdiction lets this office see it."""
    try:
        record = PetitionRecord.objects.select_related("office").get(petition_id=petition_id)
    except (PetitionRecord.DoesNotExist, ValueError):
        raise NotFound("no such petition", field="petitionId") from None
    if not visibility.can_view(office, record):
        raise NotVisible("this office may not see that petition")
    with tenant_context(record.office):
        petition = Petition.objects.get(pk=record.petition_id)
        names = list(petition.petitioners.values_list("name", flat=True))
    return PetitionView(record=record, petition=petition, petitioner_names=names)
