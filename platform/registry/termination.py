"""Termination (终结): after a re-review opinion the same facts and reasons are no longer accepted.

The registry keeps the terminated matters; `terminated_links` finds the one each petition is
linked to (a page of them in one query), and `cases/finality.py` decides what that allows (only a
decline as 不再受理, unless a leader admits new facts and reasons). Handoffs and review requests
of a terminated matter are refused.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from xinfang.platform.errors import ErrorCode, ServiceError
from xinfang.platform.registry.models import TerminatedMatter
from xinfang.platform.registry.visibility import reporter_withheld_from


class MatterTerminated(ServiceError):
    code = ErrorCode.MATTER_TERMINATED


@dataclass(frozen=True)
class Probe:
    """What may link one petition to a terminated matter: its matters, its own first (its copy,
    a confirmed repeat, an officer's link), and its petitioners' keys (ID number; name and
    phone)."""

    matter_ids: tuple[uuid.UUID | None, ...]
    person_keys: frozenset[str] = frozenset()
    contact_keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reporters:
    """Whom a terminated matter recognises again: the keys of every copy's petitioners, and for
    an accusation where its reporter is known (`TerminatedMatter.reporter_office_codes`)."""

    person_keys: Iterable[str]
    contact_keys: Iterable[str]
    office_codes: Iterable[str] = ()
    is_accusation: bool = False
    accused_division_code: str = ""


def terminated_links(
    probes: Sequence[Probe], *, province_code: str, office_code: str
) -> list[TerminatedMatter | None]:
    """For each probe, the terminated matter among its matters, or else the latest one of its
    people's (by ID number, or by name and phone) anywhere in the province, whatever its
    category — the same facts filed under another one are the same facts — and that recognises
    people at this office (`recognised_at`). One query for the whole page."""
    matter_ids = {m for probe in probes for m in probe.matter_ids if m}
    people = Q()
    if keys := {k for probe in probes for k in probe.person_keys}:
        people |= Q(person_keys__overlap=sorted(keys))
    if contacts := {k for probe in probes for k in probe.contact_keys}:
        people |= Q(contact_keys__overlap=sorted(contacts))
    wanted = Q(matter_id__in=sorted(matter_ids)) if matter_ids else Q()
    if people and province_code:
        wanted |= Q(people, province_code=province_code)
    if not wanted:
        return [None] * len(probes)
    found = list(TerminatedMatter.objects.filter(wanted).order_by("-terminated_at"))
    by_matter = {matter.matter_id: matter for matter in found}
    recognising = [
        m for m in found if m.province_code == province_code and recognised_at(m, office_code)
    ]
    return [_link(probe, by_matter, recognising) for probe in probes]


def _link(probe: Probe, by_matter: dict, recognising: list[TerminatedMatter]):
    for matter_id in probe.matter_ids:
        if matter_id in by_matter:
            return by_matter[matter_id]
    return next(
        (
            m
            for m in recognising
            if probe.person_keys.intersection(m.person_keys)
            or probe.contact_keys.intersection(m.contact_keys)
        ),
        None,
    )


def recognised_at(matter: TerminatedMatter, office_code: str) -> bool:
    """Whether the matter's people are recognised by their keys at this office: always, but for
    an accusation at an office its reporter's identity was withheld from that never held a copy
    naming them (recognising them would tell the accused's office who accused, Art 30)."""
    return (
        not matter.is_accusation
        or office_code in matter.reporter_office_codes
        or not reporter_withheld_from(
            is_accusation=True,
            accused_division_code=matter.accused_division_code,
            office_code=office_code,
        )
    )


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
    reporters: Reporters,
    recheck_handoff_id: uuid.UUID,
    recheck_reference: str,
    at,
) -> TerminatedMatter:
    """Record that the re-review opinion of `recheck_handoff_id` ended the matter (inside the
    opinion's transaction). Only hashed keys are stored, never an identity."""
    return TerminatedMatter.objects.create(
        matter_id=matter_id,
        province_code=province_code,
        category=category,
        person_keys=sorted({k for k in reporters.person_keys if k}),
        contact_keys=sorted({k for k in reporters.contact_keys if k}),
        is_accusation=reporters.is_accusation,
        accused_division_code=reporters.accused_division_code,
        reporter_office_codes=sorted(set(reporters.office_codes)),
        recheck_handoff_id=recheck_handoff_id,
        recheck_reference=recheck_reference,
        terminated_at=at,
    )
