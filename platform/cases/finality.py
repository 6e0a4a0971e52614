"""终结 sticks (Art 36): a petition linked to a terminated matter is only declined as 不再受理.

A petition is linked to a matter terminated after re-review when it is a copy of that matter,
a confirmed repeat of it (`repeat_of_matter`), linked to it by an officer's decision
(`linked_terminated_matter`), or one of its petitioners is on a matter terminated in the
province — by ID number (`person_key`) or, without one, by the same name and phone
(`pii.contact_key`) — whatever the category. Such a petition cannot be routed, accepted,
transferred, assigned out, escalated or reviewed; it can only be declined with the termination
cited, unless a leader records that it brings new facts and reasons (`new_facts_admitted_at`,
with its event: the audited override).
"""

from django.utils import timezone

from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.platform.pii import contact_key
from xinfang.platform.registry.models import TerminatedMatter
from xinfang.platform.registry.termination import refusal, terminated_link
from xinfang.tenants.context import current_office
from xinfang.tenants.models import Office

# The steps a linked petition may not take (workflow requirements: cases/apps.py); it may be
# declined, as 不再受理 only (cases.services.petition_decline).
BLOCKED = (Transition.ROUTE, Transition.ACCEPT, Transition.TRANSFER, Transition.ASSIGN_OUT)


def termination_of(petition: Petition, *, office: Office | None = None) -> TerminatedMatter | None:
    """The terminated matter this petition is linked to, unless a leader admitted new facts."""
    if petition.new_facts_admitted_at is not None:
        return None
    office = office or current_office()
    people = list(petition.petitioners.all())
    return terminated_link(
        matter_ids=(
            petition.matter_id,
            petition.repeat_of_matter,
            petition.linked_terminated_matter,
        ),
        province_code=office.province_code,
        person_keys=[p.person_key for p in people],
        contact_keys=[contact_key(p.name, p.phone) for p in people if p.phone],
    )


def ensure_open(petition: Petition, *, office: Office | None = None, **_) -> None:
    """Refuse every way forward but 不再受理 for a linked petition (also a workflow requirement:
    `workflow.requires` passes the officer and the data, which do not matter here)."""
    found = termination_of(petition, office=office)
    if found is not None:
        raise refusal(found, "; decline it as 不再受理, or a leader admits new facts and reasons")


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
