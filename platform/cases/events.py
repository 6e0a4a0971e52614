"""Writing a petition's log (办理记录) for what is not a step of the office's own workflow table:
handoffs between offices, supervision orders, repeat decisions. Transitions write theirs in
`workflow.apply`."""

from django.utils import timezone

from xinfang.platform.cases.models import EventKind, Petition, PetitionEvent


def record(
    petition: Petition,
    kind: EventKind,
    *,
    actor=None,
    note: str = "",
    data: dict | None = None,
    public: bool = False,
    at=None,
) -> PetitionEvent:
    """An event in the current schema's log (`actor` only when they belong to this office)."""
    return PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        at=at or timezone.now(),
        actor=actor,
        note=note,
        public=public,
        data=data or {},
    )
