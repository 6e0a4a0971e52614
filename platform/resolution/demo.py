"""Demo resolution work for an office, through the services (`manage.py seed_demo`), on top of the
demo petitions: visits of every kind, a hard case (包案), investigations, closures with each
outcome (四到位) and a mediation, implementation items, a failed return visit and a dissatisfied
rating (both reopen), a matter taken through review and re-review by the offices above and
terminated, with its care plan (a county office's), a published reception session, and
the daily scan that computes the metrics. Running it again adds nothing."""

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from xinfang.platform.cases import services as cases
from xinfang.platform.cases.demo import seed_demo_officers
from xinfang.platform.cases.models import Petition, Status
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.exchange.services import (
    EvidenceKind,
    ReviewEvidence,
    recheck_request,
    review_opinion_issue,
    review_request,
)
from xinfang.platform.resolution import services
from xinfang.platform.resolution.models import Visit, VisitKind
from xinfang.platform.resolution.services import ItemInput, OutcomeInput, VisitInput
from xinfang.tenants.context import current_office

_OUTCOMES = [
    OutcomeInput(kind="solved", summary="补偿款已按标准足额发放"),
    OutcomeInput(
        kind="explained",
        summary="诉求超出政策标准，已释法明理",
        law_cited="《国有土地上房屋征收与补偿条例》第十九条",
    ),
    OutcomeInput(
        kind="assisted", summary="生活困难，已落实帮扶", help_given="申请临时救助3000元，纳入低保"
    ),
    OutcomeInput(kind="solved", summary="欠薪已全额支付"),
    OutcomeInput(kind="by_law", summary="经劝导仍缠访闹访", legal_measure="公安机关依法训诫"),
]


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _return_visit(staff, petition, *, finding="implemented", satisfaction="satisfied"):
    return services.visit_record(
        officer=staff["handler"],
        data=VisitInput(
            kind=VisitKind.RETURN,
            officers=[staff["handler"]],
            petition_ids=[petition.pk],
            met="信访人本人",
            summary="电话回访，了解处理意见落实情况",
            return_finding=finding,
            satisfaction_now=satisfaction,
        ),
    )


def _taken_up_the_ladder(petition: Petition) -> Handoff | None:
    """The petitioner asks, in person with their ID card, the office above for 复查 and the one
    above that for 复核; both uphold the opinion and the matter ends. None for an office without
    two levels above it (a city, the province)."""
    reviewing = current_office().parent
    if reviewing is None or reviewing.parent is None:
        return None
    person = petition.petitioners.order_by("pk").first()
    evidence = ReviewEvidence(kind=EvidenceKind.VISIT, id_number=person.id_number)
    reference, handoff = petition.reference, None
    for ask, office, opinion in (
        (review_request, reviewing, "经复查，原处理意见认定事实清楚，予以维持。"),
        (recheck_request, reviewing.parent, "经复核，维持复查意见。"),
    ):
        with tenant_context(office):
            staff = seed_demo_officers()
            handoff = ask(
                reference=reference, officer=staff["registrar"], grounds="对处理结果不服",
                evidence=evidence,
            )  # fmt: skip
            handoff = review_opinion_issue(
                handoff_id=handoff.pk, officer=staff["leader"], opinion=opinion
            )
        reference = handoff.receiver_reference
    return handoff


def seed_demo_resolution() -> int:
    """Resolution work on the current office's demo petitions; returns the visits recorded
    (none when the office has visits already)."""
    if Visit.objects.exists():
        return 0
    staff = seed_demo_officers()
    leader, handler = staff["leader"], staff["handler"]
    by_status: dict[str, list[Petition]] = {}
    for petition in Petition.objects.order_by("registered_at", "id"):
        by_status.setdefault(petition.status, []).append(petition)

    evaluated = by_status.get(Status.EVALUATED, [])
    for petition, outcome in zip(evaluated, _OUTCOMES, strict=False):
        if outcome.kind != "by_law":
            _return_visit(staff, petition)
        services.petition_close(petition=petition, officer=leader, outcome=outcome)
    # A solved matter the petitioner took to review and re-review, then terminated (终结).
    if evaluated and (recheck := _taken_up_the_ladder(evaluated[0])) is not None:
        terminated = cases.petition_terminate(
            petition=evaluated[0].pk, officer=leader, recheck_reference=recheck.receiver_reference
        )
        services.care_plan_open(
            officer=leader,
            petition=terminated,
            measures=["relief", "periodic_contact"],
            plan="每月电话联系一次，节日上门走访",
            owner=handler,
            contact_every_days=30,
        )

    replied = by_status.get(Status.REPLIED, [])
    for i, petition in enumerate(replied):
        if i == 0:  # the opinion is carried out, item by item
            item = services.item_add(
                officer=leader,
                petition=petition,
                item=ItemInput("督促责任单位发放补偿款", handler, _days(10)),
            )
            services.item_complete(officer=handler, item=item, evidence="银行转账凭证 2026-118")
            services.item_add(
                officer=leader,
                petition=petition,
                item=ItemInput("复核其余三户补偿标准", staff["handler2"], _days(20)),
            )
        elif i == 1:  # the return visit finds nothing done: re-handling
            _return_visit(staff, petition, finding="not_implemented", satisfaction="dissatisfied")
        elif i == 2:  # rated dissatisfied: re-handling
            cases.petition_evaluate(
                petition=petition.pk, officer=staff["registrar"], satisfaction="dissatisfied"
            )

    handling = by_status.get(Status.IN_HANDLING, [])
    for i, petition in enumerate(handling[:3]):
        services.investigation_record(
            officer=handler,
            petition=petition,
            mode="open" if i % 2 == 0 else "discreet",
            findings="经现场核查，反映情况基本属实",
            sources=[
                ("petitioner", "听取信访人陈述"),
                ("accused_body", "听取被反映单位说明"),
                ("site", "现场勘查"),
            ],
        )
    if handling:
        services.hard_case_open(
            officer=leader,
            petition=handling[0],
            reason="long_running",
            leader=leader,
            plan="局长包案，会同住建、人社部门逐户核算，三个月内化解",
            target_date=_days(90),
            milestones=[("逐户核算", _days(20)), ("联席会议", _days(45))],
        )
        services.milestone_complete(
            officer=leader, milestone=handling[0].hard_cases.get().milestones.first()
        )
    if len(handling) > 1:
        services.petition_mediate(
            petition=handling[1],
            officer=leader,
            outcome=OutcomeInput(
                kind="mediated",
                summary="双方达成调解协议",
                agreement_title="劳动报酬纠纷人民调解协议书",
                agreement_text="一、用人单位于十日内支付欠薪；二、信访人不再就此事信访。",
                agreement_parties=["用人单位", "信访人"],
            ),
        )
    if len(handling) > 2:
        services.visit_record(
            officer=leader,
            data=VisitInput(
                kind=VisitKind.JOINT,
                officers=[leader, handler],
                petition_ids=[handling[2].pk],
                other_bodies=["区人社局", "区住建局"],
                place="区联合接访中心",
                met="信访人及家属",
                summary="联合接访，现场答疑",
                agreed="人社局一周内出具书面答复",
                follow_ups=[ItemInput("人社局出具书面答复", handler, _days(7))],
            ),
        )

    collective = Petition.objects.filter(is_collective=True).order_by("registered_at").first()
    if collective is not None:
        services.visit_record(
            officer=leader,
            data=VisitInput(
                kind=VisitKind.APPOINTMENT,
                officers=[leader, handler],
                petition_ids=[collective.pk],
                place="街道会议室",
                met="群众代表三人",
                summary="约访群众代表，听取诉求，防止集体上访",
                agreed="两周内召开协调会",
                follow_ups=[ItemInput("召开协调会", leader, _days(14))],
            ),
        )
    routed = by_status.get(Status.ROUTED, [])
    if routed:
        services.visit_record(
            officer=handler,
            data=VisitInput(
                kind=VisitKind.FIELD,
                officers=[handler],
                petition_ids=[routed[0].pk],
                place="街道社区",
                met="社区干部、信访人",
                summary="下访了解情况",
            ),
        )
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=7)
    services.reception_schedule(
        officer=leader,
        leader=leader,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="信访接待大厅",
        topic="征地拆迁、劳动保障",
    )
    services.scan_office()
    return Visit.objects.count()
