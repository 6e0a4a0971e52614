"""What every step between offices shares: the ledger row locked, the test seam, idempotent
replays, the termination check, and the petition saved with its registry row."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError

from xinfang.platform.cases import deadlines, finality, workflow
from xinfang.platform.cases.models import DocumentKind, Petition
from xinfang.platform.errors import ErrorCode, NotFound, ServiceError
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.registry.visibility import NotVisible
from xinfang.tenants.models import Office


class HandoffError(ServiceError):
    """A handoff step refused (each step's module has its own subclass)."""

    code = ErrorCode.INVALID_HANDOFF


def checkpoint(step: str) -> None:
    """A named point inside a handoff: "sender_written", "ledger_written", "receiver_copy",
    "task". Does nothing; the atomicity tests make it raise to prove all-or-nothing."""


def office_by_code(code: str, *, field: str = "receiver") -> Office:
    office = Office.objects.offices().filter(code=code).first()
    if office is None:
        raise NotFound(f"no petition office with code {code}", field=field)
    return office


def lock_handoff(handoff_id) -> Handoff:
    """The ledger row, locked until the transaction ends."""
    try:
        return Handoff.objects.select_for_update().get(pk=handoff_id)
    except (Handoff.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound("no such handoff", field="handoffId") from None


def ensure_receiver(handoff: Handoff, office: Office) -> None:
    if handoff.receiver_office_id != office.pk:
        raise NotVisible("this handoff was not sent to this office")


def who(officer, office: Office) -> dict:
    """Who acted, for an event written in the other office's log (its officers are not ours)."""
    return {"office": office.code, "officer": getattr(officer, "username", "")}


def document(kind: DocumentKind, title: str, text: str) -> dict:
    """A document sent to the petitioner, in the shape the cases services write (`"document"` in
    an event's data): the progress lookup shows it, the notices deliver it."""
    return {"kind": kind, "title": title, "text": text}


def save(petition: Petition, *fields: str) -> PetitionRecord:
    """Store the petition's changes and its registry row (which search follows)."""
    petition.save(update_fields=workflow.changed_fields(*fields))
    return registry.sync(petition)


def replay(initiator: Office, key: str, request: dict) -> Handoff | None:
    """The handoff an earlier attempt with the same idempotency key created, if it asked for the
    same thing: `request` maps ledger fields to what this attempt asks (petition, kind, receiver,
    reason, due date, urgency); any difference is IDEMPOTENCY_KEY_REUSED."""
    if not key:
        return None
    earlier = Handoff.objects.filter(initiator_office=initiator, idempotency_key=key).first()
    if earlier is None:
        return None
    if any(getattr(earlier, name) != value for name, value in request.items()):
        raise HandoffError(
            "this idempotency key was already used for another request",
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
            field="idempotencyKey",
        )
    return earlier


_HANDOFF_CONSTRAINTS = ("handoff_idempotency_key_uniq", "handoff_one_open_per_petition")


def duplicate_or_raise(exc: IntegrityError) -> HandoffError:
    """A concurrent twin committed first: DUPLICATE_HANDOFF for our constraints, else re-raise."""
    if any(name in str(exc) for name in _HANDOFF_CONSTRAINTS):
        return HandoffError(
            "this petition already has a handoff under way", code=ErrorCode.DUPLICATE_HANDOFF
        )
    raise exc


def ensure_open(petition: Petition, office: Office) -> None:
    """Refuse to move a matter terminated after re-review (终结), or a petition linked to one
    that no leader admitted new facts for (cases/finality.py)."""
    finality.ensure_open(petition, office=office)


def working_days_after(
    calendar: deadlines.OfficeCalendar, start: datetime.date, days: int
) -> datetime.date:
    day, left = start, days
    while left:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day
