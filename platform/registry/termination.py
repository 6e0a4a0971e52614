"""Termination (终结): after a re-review opinion the same facts and reasons are no longer accepted.

The registry keeps the terminated matters; `terminated_link` finds the one a petition is linked
to, and `cases/finality.py` decides what that allows (only a decline as 不再受理, unless a leader
admits new facts and reasons). Handoffs and review requests of a terminated matter are refused.
"""

import uuid
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from xinfang.platform.errors import ErrorCode, ServiceError
from xinfang.platform.registry.models import TerminatedMatter


class MatterTerminated(ServiceError):
    code = ErrorCode.MATTER_TERMINATED


def terminated_link(
    *,
    matter_ids: Iterable[uuid.UUID | None] = (),
    province_code: str = "",
    person_keys: Iterable[str] = (),
    contact_keys: Iterable[str] = (),
) -> TerminatedMatter | None:
    """The terminated matter among `matter_ids`, or one of these people's (by ID number, or by
    name and phone) anywhere in the province, whatever its category: the same facts filed under
    another one are the same facts."""
    ids = [m for m in matter_ids if m]
    found = TerminatedMatter.objects.filter(matter_id__in=ids).first() if ids else None
    people = Q()
    if keys := [k for k in person_keys if k]:
        people |= Q(person_keys__overlap=keys)
    if contacts := [k for k in contact_keys if k]:
        people |= Q(contact_keys__overlap=contacts)
    if found is None and people and province_code:
        found = (
            TerminatedMatter.objects.filter(people, province_code=province_code)
            .order_by("-terminated_at")
            .first()
        )
    return found


def refusal(found: TerminatedMatter, why: str = "") -> MatterTerminated:
    """The typed error that cites the termination."""
    terminated_on = timezone.localdate(found.terminated_at).isoformat()
    return MatterTerminated(
        f"this matter was terminated (终结) after re-review on {terminated_on}: the same facts and "
        f"reasons are no longer accepted{why}",
        terminated_on=terminated_on,
        recheck_reference=found.recheck_reference,
    )


def matter_terminate(
    *,
    matter_id: uuid.UUID,
    province_code: str,
    category: str,
    person_keys: Iterable[str],
    contact_keys: Iterable[str],
    recheck_handoff_id: uuid.UUID,
    recheck_reference: str,
    at,
) -> TerminatedMatter:
    """Record that the re-review opinion of `recheck_handoff_id` ended the matter (inside the
    opinion's transaction)."""
    return TerminatedMatter.objects.create(
        matter_id=matter_id,
        province_code=province_code,
        category=category,
        person_keys=[k for k in person_keys if k],
        contact_keys=[k for k in contact_keys if k],
        recheck_handoff_id=recheck_handoff_id,
        recheck_reference=recheck_reference,
        terminated_at=at,
    )
