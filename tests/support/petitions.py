"""Reading a matter's copies and events back from each office's schema."""

from django_tenants.utils import tenant_context


def petition_in(office, petition_id):
    """A petition read back from an office's schema (None when it is not there)."""
    from xinfang.platform.cases.models import Petition

    with tenant_context(office):
        return Petition.objects.filter(pk=petition_id).first()


def copies_of(offices, matter_id) -> dict:
    """Every office's copy of a matter, read in each office's schema: {office name: petition}."""
    from xinfang.platform.cases.models import Petition

    found = {}
    for name, office in offices.items():
        with tenant_context(office):
            petition = Petition.objects.filter(matter_id=matter_id).first()
        if petition is not None:
            found[name] = petition
    return found


def event_kinds(office, petition_id) -> list[str]:
    from xinfang.platform.cases.models import PetitionEvent

    with tenant_context(office):
        return list(
            PetitionEvent.objects.filter(petition_id=petition_id)
            .order_by("at", "id")
            .values_list("kind", flat=True)
        )
