"""Writing a petition's log (办理记录): the one writer of `PetitionEvent` rows, for the workflow's
transitions (`workflow.apply`), registration, handoffs between offices, supervision orders and
repeat decisions alike.

It is also the one door every document issued to the petitioner passes through (告知书, 意见书:
an event whose `data` holds a `document`, `{"kind", "title", "text"}`): the listeners registered
with `on_document` (platform/notices, which records the notices that deliver it) hear of each in
the event's own transaction, so a document and its notices commit together or not at all.
"""

from collections.abc import Callable, Mapping

from django.utils import timezone

from xinfang.platform.cases.models import EventKind, Petition, PetitionEvent

# listener(event, sealed=...): `sealed` holds what the document's delivery needs but the log must
# never store (the query code at registration).
DocumentListener = Callable[..., None]
_listeners: list[DocumentListener] = []


def on_document(listener: DocumentListener) -> None:
    """Call `listener(event, sealed=…)` for every event that issues a document (at start-up)."""
    if listener not in _listeners:
        _listeners.append(listener)


def record(
    petition: Petition,
    kind: EventKind,
    *,
    actor=None,
    note: str = "",
    data: dict | None = None,
    public: bool = False,
    at=None,
    from_status: str = "",
    to_status: str = "",
    sealed: Mapping[str, str] | None = None,
) -> PetitionEvent:
    """An event in the current schema's log (`actor` only when they belong to this office)."""
    event = PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        at=at or timezone.now(),
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public=public,
        data=data or {},
    )
    if "document" in event.data:
        for listener in _listeners:
            listener(event, sealed=sealed or {})
    return event
