"""Termination (终结): after a re-review opinion the same facts and reasons are no longer accepted.

The registry keeps the terminated matters, so every office of the province refuses them: a
registration (checked by `registry.services.sync` on a petition's first sync), a handoff and a
review request alike.
"""

import uuid
from collections.abc import Iterable

from django.utils import timezone

from xinfang.platform.errors import ErrorCode, ServiceError
from xinfang.platform.registry.models import TerminatedMatter


class MatterTerminated(ServiceError):
    code = ErrorCode.MATTER_TERMINATED


def ensure_not_terminated(
    *,
    matter_id: uuid.UUID | None = None,
    province_code: str = "",
    category: str = "",
    person_keys: Iterable[str] = (),
) -> None:
    """Refuse a matter closed by a re-review opinion: the same matter anywhere, or the same
    person with the same category anywhere in the province. For registrations too."""
    keys = [k for k in person_keys if k]
    found = None
    if matter_id is not None:
        found = TerminatedMatter.objects.filter(matter_id=matter_id).first()
    if found is None and keys and province_code and category:
        found = TerminatedMatter.objects.filter(
            province_code=province_code, category=category, person_keys__overlap=keys
        ).first()
    if found is not None:
        terminated_on = timezone.localdate(found.terminated_at).isoformat()
        raise MatterTerminated(
            f"this matter was terminated (终结) after re-review on {terminated_on}: the same "
            "facts and reasons are no longer accepted",
            terminated_on=terminated_on,
        )


def matter_terminate(
    *,
    matter_id: uuid.UUID,
    province_code: str,
    category: str,
    person_keys: Iterable[str],
    recheck_handoff_id: uuid.UUID,
    at,
) -> TerminatedMatter:
    """Record that the re-review opinion of `recheck_handoff_id` ended the matter (inside the
    opinion's transaction)."""
    return TerminatedMatter.objects.create(
        matter_id=matter_id,
        province_code=province_code,
        category=category,
        person_keys=[k for k in person_keys if k],
        recheck_handoff_id=recheck_handoff_id,
        terminated_at=at,
    )
