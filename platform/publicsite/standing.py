"""Where the matter stands, in the petitioner's words: the office that holds it now (with how to
reach it), the statutory time limit that runs there now, and the next legal step open to the
petitioner (信访工作条例: route in 15 days, decide on acceptance in 15, handle in 60 with one
extension of at most 30, 复查 and 复核 within 30 days of the opinion, each answered in 30; after
复核 the matter is closed for the same facts and reasons).

Read from what the progress lookup already returned (each office's status and deadlines come
from its registry row) and the holding office's own limits and guide: three queries.
"""

import datetime
from dataclasses import dataclass

from django_tenants.utils import tenant_context

from xinfang.platform.cases.models import Status
from xinfang.platform.cases.progress import Progress
from xinfang.platform.publicsite import selectors
from xinfang.platform.publicsite.selectors import RECHECK, REVIEW, PetitionerActions
from xinfang.tenants.models import Office


@dataclass(frozen=True)
class Limit:
    """A time limit that applies now: what must happen, by when, and the rule behind it."""

    text: str
    due: datetime.date | None
    rule: str = ""


@dataclass(frozen=True)
class Standing:
    office: str  # the office that holds the matter now
    reference: str  # the matter's reference there
    phone: str  # how to reach it (its guide)
    reception_address: str
    limits: list[Limit]
    next_steps: list[str]


def _date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def standing(found: Progress, actions: PetitionerActions) -> Standing:
    """The holding office (`Progress.handling_office`) read in its own schema for its limits
    (OfficeSettings: the numbers its deadlines were computed with) and its guide."""
    holder = found.handling_office
    office = Office.objects.select_related("parent").get(code=holder.code)
    with tenant_context(office):
        guide = selectors.office_guide(with_sessions=False)
    limits, steps = _now(found, actions, guide.limits, parent=office.parent)
    return Standing(
        office=holder.name,
        reference=holder.reference,
        phone=guide.phone,
        reception_address=guide.reception_address,
        limits=limits,
        next_steps=steps,
    )


def _now(found: Progress, actions: PetitionerActions, rules, *, parent: Office | None):
    """(limits, next steps) for the holding office's state."""
    holder = found.handling_office
    name, status, arrived = holder.name, holder.status_code, holder.arrived_by
    above = f"上一级信访工作机构（{parent.name}）" if parent else "上一级信访工作机构"
    wait = [f"请等待{name}的书面告知；超过期限未获答复的，可以向{above}反映。"]
    if status == Status.REGISTERED:
        text = f"{name}应于{_date(holder.next_due)}前决定由本机关办理，或者转送、交办有权处理的机关"
        return [Limit(text, holder.next_due, f"收到之日起{rules.route_days}日内")], wait
    if status == Status.ROUTED:
        text = f"{name}应于{_date(holder.accept_due)}前决定是否受理，并书面告知您"
        return [Limit(text, holder.accept_due, f"收到之日起{rules.accept_days}日内")], wait
    if status in (Status.ACCEPTED, Status.IN_HANDLING, Status.IN_HEARING):
        return [_handling_limit(holder, rules, arrived)], wait
    if status == Status.DECLINED:
        return [], [
            f"{name}决定不予受理：理由和应当通过的途径（向哪个机关提出，或者诉讼、仲裁、"
            "行政复议等法定途径）见下方《不予受理告知书》。"
        ]
    if status == Status.TERMINATED or (arrived == RECHECK and holder.replied_at):
        return [], ["复核意见为最终意见：以同一事实和理由再提出的信访事项，信访部门不再受理。"]
    if holder.replied_at:
        return _after_opinion(actions, rules)
    return [], [f"该事项已在{name}办结。"]


def _handling_limit(holder, rules, arrived: str) -> Limit:
    name, due = holder.name, holder.handling_due
    if arrived in (REVIEW, RECHECK):
        what = "复核" if arrived == RECHECK else "复查"
        return Limit(f"{name}应于{_date(due)}前出具{what}意见", due,
                     f"收到{what}请求之日起{rules.review_days}日内")  # fmt: skip
    if holder.extended:
        rule = (
            f"受理之日起{rules.handling_days}日内，经批准延期"
            f"（延长不超过{rules.max_extension_days}日）"
        )
    else:
        rule = (f"受理之日起{rules.handling_days}日内；情况复杂的，经负责人批准可以延长，"
                f"最长{rules.max_extension_days}日，并告知您延期理由")  # fmt: skip
    text = f"{name}应于{_date(due)}前办结，并出具书面处理意见"
    if holder.status_code == Status.IN_HEARING:
        rule += "；听证的时间不计入办理期限"
    return Limit(text, due, rule)


def _after_opinion(actions: PetitionerActions, rules) -> tuple[list[Limit], list[str]]:
    """An opinion is out: rating it, and 复查 (or 复核) inside its window."""
    limits, steps = [], []
    if actions.rate:
        steps.append(f"您可以在下方对{actions.rate.name}的办理情况作出满意度评价。")
    review = actions.review
    if review:
        what, of = ("复核", "复查意见") if review.kind == RECHECK else ("复查", "处理意见")
        limits.append(Limit(
            f"如对{review.contested.name}的{of}不服，可于{_date(review.window_end)}前向"
            f"{review.to_office.name}申请{what}", review.window_end,
            f"收到意见书之日起{rules.review_request_days}日内",
        ))  # fmt: skip
        steps.append(f"如不服，可以在下方向{review.to_office.name}申请{what}。")
    elif actions.review_closed_on:
        steps.append(
            f"申请复查（复核）的期限已于{_date(actions.review_closed_on)}届满，意见已经发生效力。"
        )
    else:
        steps.append("如对意见有疑问，可以联系出具意见的机关。")
    return limits, steps
