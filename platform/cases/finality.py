"""终结 sticks (Art 36): a petition linked to a terminated matter is only declined as 不再受理.

A petition is linked to a matter terminated after re-review when it is a copy of that matter,
a confirmed repeat of it (`repeat_of_matter`), linked to it by an officer's decision
(`linked_terminated_matter`), or one of its petitioners is on a matter terminated in the
province — by ID number (`person_key`) or, without one, by the same name and phone
(`pii.contact_key`) — whatever the category. Such a petition cannot be routed, accepted,
transferred, assigned out, escalated or reviewed; it can only be declined with the termination
cited, unless a leader records that it brings new facts and reasons (`new_facts_admitted_at`,
with its event: the audited override).

Terminating a petition (`Transition.TERMINATE`) follows the re-review: only a copy of a matter
whose 复核 opinion was issued — the registry's `TerminatedMatter`, which only that opinion
writes, at the office one level above the reviewing office — is terminated, citing it.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.utils import timezone

from xinfang.platform.cases.models import Petition, Petitioner, Status
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.errors import ErrorCode, ServiceError, ValidationError
from xinfang.platform.pii import contact_key
from xinfang.platform.registry.models import TerminatedMatter
from xinfang.platform.registry.termination import Probe, refusal, terminated_links
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office

# The steps a linked petition may not take (workflow requirements: cases/apps.py); it may be
# declined, as 不再受理 only (cases.services.petition_decline).
BLOCKED = (Transition.ROUTE, Transition.ACCEPT, Transition.TRANSFER, Transition.ASSIGN_OUT)
# What a copy of a matter its re-review ended never does again (workflow requirements too): no
# new opinion, re-handling or mediated closure; its office terminates it instead.
HANDLED_AGAIN = (Transition.REPLY, Transition.REOPEN, Transition.MEDIATE)


class NotReReviewed(ServiceError):
    code = ErrorCode.NOT_RE_REVIEWED


def termination_of(petition: Petition, *, office: Office | None = None) -> TerminatedMatter | None:
    """The terminated matter this petition is linked to, unless a leader admitted new facts."""
    return terminations_of([petition], office=office)[0]


def terminations_of(
    petitions: Sequence[Petition], *, office: Office | None = None
) -> list[TerminatedMatter | None]:
    """`termination_of` for a page of petitions of this office: two queries whatever its size
    (their petitioners' keys, the terminated matters)."""
    office = office or current_office()
    open_ids = [p.pk for p in petitions if p.new_facts_admitted_at is None]
    people: dict = defaultdict(list)
    if open_ids:
        rows = Petitioner.objects.filter(petition_id__in=open_ids)
        for person in rows.only("petition_id", "name", "phone", "person_key"):
            people[person.petition_id].append(person)
    admitted = Probe(matter_ids=())  # links nothing
    return terminated_links(
        [admitted if p.new_facts_admitted_at else _probe(p, people[p.pk]) for p in petitions],
        province_code=office.province_code,
        office_code=office.code or "",
    )


def _probe(petition: Petition, people: list[Petitioner]) -> Probe:
    return Probe(
        matter_ids=(
            petition.matter_id,
            petition.repeat_of_matter,
            petition.linked_terminated_matter,
        ),
        person_keys=frozenset(p.person_key for p in people if p.person_key),
        contact_keys=frozenset(contact_key(p.name, p.phone) for p in people if p.phone),
    )


def available(petition: Petition, steps: list, found: TerminatedMatter | None) -> list:
    """The steps `workflow.available` offers, as finality narrows them: none that a linked
    petition may not take; for a copy of the matter its re-review ended, 终结 and never
    handling it again."""
    own = found is not None and found.matter_id == petition.matter_id
    return [
        step
        for step in steps
        if not (found is not None and step in BLOCKED)
        and not (own and step in HANDLED_AGAIN)
        and (step != Transition.TERMINATE or own)
    ]


# `available` reads the petition's termination only when it offers one of these.
DECIDED_BY_TERMINATION = frozenset((*BLOCKED, *HANDLED_AGAIN, Transition.TERMINATE))


def ensure_open(petition: Petition, *, office: Office | None = None, **_) -> None:
    """Refuse every way forward but 不再受理 for a linked petition (also a workflow requirement:
    `workflow.requires` passes the officer and the data, which do not matter here)."""
    found = termination_of(petition, office=office)
    if found is not None:
        raise refusal(found, "; decline it as 不再受理, or a leader admits new facts and reasons")


def matter_ended(petition: Petition) -> TerminatedMatter | None:
    """The termination of this petition's own matter by its re-review opinion, if any."""
    return TerminatedMatter.objects.filter(matter_id=petition.matter_id).first()


def ensure_not_ended(petition: Petition, **_) -> None:
    """The re-review opinion is final (Art 36): a copy of the matter it ended gets no new
    opinion, is not reopened for re-handling nor closed by a mediation agreement (workflow
    requirements of `HANDLED_AGAIN`); a dissatisfied rating or a failed return visit leaves it
    as it is."""
    found = matter_ended(petition)
    if found is not None:
        raise refusal(found, "; its office terminates its copy (终结), never handles it again")


def ensure_re_reviewed(petition: Petition, *, data: dict, **_) -> None:
    """A petition is terminated only as a copy of a matter ended by its re-review opinion, named
    by that re-review's reference (a workflow requirement of `Transition.TERMINATE`)."""
    found = matter_ended(petition)
    cited = data.get("recheck_reference", "")
    if found is None or cited != found.recheck_reference:
        raise NotReReviewed(
            f"{cited} is not the re-review (复核) opinion of this matter"
            if found
            else "this matter has no re-review (复核) opinion: only that opinion terminates it",
            field="recheckReference",
        )


def ensure_undecided(petition: Petition) -> None:
    """Linking and admitting new facts come before the office decides to handle it."""
    if petition.status not in (Status.REGISTERED, Status.ROUTED):
        raise ValidationError(
            "only a petition not yet accepted, declined or sent on is linked or admitted",
            code=ErrorCode.INVALID_STATE,
            status=petition.status,
        )


def no_longer_accepted(found: TerminatedMatter) -> str:
    """The 不再受理告知书's text: the termination cited."""
    terminated_on = timezone.localdate(found.terminated_at)
    by = f"经复核（{found.recheck_reference}）" if found.recheck_reference else "经复核"
    return (
        f"您反映的事项与{terminated_on:%Y年%m月%d日}{by}终结的信访事项属同一事实和理由。"
        "依照《信访工作条例》第三十六条，不再受理。"
    )
