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


def replied(offices, petition, *, days_ago: int):
    """The petition as the handling office's reply left it, `days_ago` days ago."""
    import datetime

    from django.utils import timezone

    from xinfang.platform.cases.models import Petition, Status
    from xinfang.platform.registry import services as registry

    office = next(o for o in offices.values() if petition.reference.startswith(o.code))
    with tenant_context(office):
        at = timezone.now() - datetime.timedelta(days=days_ago)
        Petition.objects.filter(pk=petition.pk).update(
            status=Status.REPLIED, replied_at=at, next_due=None
        )
        petition = Petition.objects.get(pk=petition.pk)
        registry.sync(petition)
    return petition
