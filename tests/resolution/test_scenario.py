"""The issue's scenario, through the real services, Elasticsearch and the daily scan: a collective
alert is answered by a leader's appointment visit, the leader takes charge of the matter (包案),
the handler investigates hearing both sides, the matter closes by a mediation agreement, and the
return visit confirms it; the metrics count each step."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.resolution.support import code_of
from tests.search.builders import person, register_by
from tests.search.test_collective import VOICES
from xinfang.platform.cases import services as cases
from xinfang.platform.cases.models import PetitionEvent, Status
from xinfang.platform.resolution import metrics, services
from xinfang.platform.resolution.ledger.models import HardCaseEntry, ResolutionScan
from xinfang.platform.resolution.models import (
    HardCaseStatus,
    ResolutionSettings,
    VisitKind,
)
from xinfang.platform.resolution.services import ItemInput, OutcomeInput, VisitInput
from xinfang.search.alerts import refresh_province
from xinfang.search.models import CollectiveAlert

pytestmark = pytest.mark.django_db

PLACE = "杭州市西湖区三墩镇绿城小区"


def test_a_collective_alert_to_a_mediated_closure_and_its_return_visit(
    offices, staff, index_now, in_office
):
    today = timezone.localdate()
    leader, handler = staff["leader"], staff["handler"]
    with in_office("xihu"):
        ResolutionSettings.objects.update_or_create(
            pk=1, defaults={"investigation_categories": ["01"], "return_visit_days": 15}
        )
        petitions = [
            register_by(
                person(),
                content=voice,
                place=PLACE,
                place_code="330106",
                category="01.01",
                accused_body="三墩镇人民政府",
            )
            for voice in VOICES[:5]
        ]
    index_now("xihu", *petitions)
    refresh_province("330000")

    with in_office("xihu"):
        [alert] = CollectiveAlert.objects.all()
        assert alert.people_count == 5
        # 约访: the leader meets the representatives before they come as a crowd.
        appointment = services.visit_record(
            officer=leader,
            data=VisitInput(
                kind=VisitKind.APPOINTMENT,
                officers=[leader, handler],
                collective_alert_id=alert.pk,
                place="三墩镇政府会议室",
                met="绿城小区居民代表3人",
                summary="听取居民对垃圾中转站的意见",
                agreed="一周内组织环保部门现场检测",
                follow_ups=[
                    ItemInput("组织环保部门现场检测", handler, today + datetime.timedelta(days=7))
                ],
            ),
        )
        assert set(appointment.petitions.values_list("pk", flat=True)) == {p.pk for p in petitions}
        alert.refresh_from_db()
        assert alert.state == CollectiveAlert.State.ACKNOWLEDGED
        [follow_up] = appointment.follow_ups.all()
        assert follow_up.owner == handler

        # 包案: the leader takes charge of the first petition's matter.
        matter = petitions[0]
        case = services.hard_case_open(
            officer=leader,
            petition=matter,
            reason="collective",
            leader=leader,
            plan="会同环保、城管部门论证中转站选址，三个月内化解",
            target_date=today + datetime.timedelta(days=60),
            milestones=[
                ("现场检测", today + datetime.timedelta(days=7)),
                ("选址论证会", today + datetime.timedelta(days=30)),
            ],
        )
        assert (
            code_of(
                lambda: services.hard_case_open(
                    officer=leader,
                    petition=matter,
                    reason="collective",
                    leader=leader,
                    plan="再包一次",
                    target_date=today + datetime.timedelta(days=30),
                )
            )
            == "HARD_CASE_EXISTS"
        )

        # Handling: the opinion needs an investigation that heard both sides.
        matter = cases.petition_route(petition=matter, officer=staff["registrar"])
        matter = cases.petition_accept(petition=matter, officer=leader)
        matter = cases.petition_assign(petition=matter, officer=leader, handler=handler)
        reply = lambda: cases.petition_reply(  # noqa: E731
            petition=matter.pk, officer=handler, opinion="经调查，中转站将另行选址。"
        )
        assert code_of(reply) == "INVESTIGATION_REQUIRED"
        assert (
            code_of(
                lambda: services.investigation_record(
                    officer=handler,
                    petition=matter,
                    mode="open",
                    findings="气味超标",
                    sources=[("petitioner", "居民反映夜间臭味")],
                )
            )
            == "BOTH_SIDES_REQUIRED"
        )
        services.investigation_record(
            officer=handler,
            petition=matter,
            mode="open",
            findings="夜间氨气浓度超标，中转站选址未经公示",
            sources=[
                ("petitioner", "居民反映夜间臭味"),
                ("accused_body", "镇政府说明选址经过"),
                ("site", "夜间现场检测"),
            ],
        )
        services.milestone_complete(officer=leader, milestone=case.milestones.first())
        matter = reply()
        assert (
            code_of(
                lambda: services.visit_record(
                    officer=handler,
                    data=VisitInput(
                        kind=VisitKind.RETURN,
                        officers=[handler],
                        petition_ids=[petitions[1].pk],
                        summary="回访",
                        return_finding="implemented",
                    ),
                )
            )
            == "OPINION_NOT_ISSUED"
        )

        # 调解: the matter closes by the agreement, which the petitioner receives.
        assert (
            code_of(
                lambda: services.petition_mediate(
                    petition=matter,
                    officer=leader,
                    version=matter.version,
                    outcome=OutcomeInput(
                        kind="mediated", summary="调解", agreement_title="调解协议书"
                    ),
                )
            )
            == "AGREEMENT_REQUIRED"
        )
        matter = services.petition_mediate(
            petition=matter,
            officer=leader,
            version=matter.version,
            outcome=OutcomeInput(
                kind="mediated",
                summary="中转站迁址，居民代表撤回信访",
                agreement_title="绿城小区垃圾中转站迁址调解协议书",
                agreement_text="一、镇政府于三个月内完成中转站迁址；二、迁址前每日除臭两次。",
                agreement_parties=["三墩镇人民政府", "绿城小区居民代表"],
            ),
        )
        assert matter.status == Status.CLOSED
        [outcome] = matter.outcomes.all()
        assert outcome.kind == "mediated" and len(outcome.agreement_parties) == 2
        mediate_event = matter.events.get(kind="mediate")
        assert mediate_event.public and mediate_event.data["document"]["title"].endswith("协议书")

        # 回访: the agreement was carried out and the petitioner is satisfied.
        item = services.item_add(
            officer=leader,
            petition=matter,
            item=ItemInput("完成中转站迁址", handler, today + datetime.timedelta(days=20)),
        )
        visit = services.visit_record(
            officer=handler,
            data=VisitInput(
                kind=VisitKind.RETURN,
                officers=[handler],
                petition_ids=[matter.pk],
                met="居民代表王某",
                summary="中转站已停用，臭味消除",
                return_finding="implemented",
                satisfaction_now="satisfied",
            ),
        )
        services.item_complete(officer=handler, item=item, evidence_visit=visit)
        case = services.hard_case_resolve(officer=leader, hard_case=case, note="迁址完成")
        assert case.status == HardCaseStatus.RESOLVED
        kinds = list(PetitionEvent.objects.filter(petition=matter).values_list("kind", flat=True))
        for kind in (
            "visit_held",
            "hard_case_opened",
            "investigation",
            "reply",
            "mediate",
            "action_item_done",
            "hard_case_resolved",
        ):
            assert kind in kinds

        # The daily scan and the metrics count what happened.
        scan = services.scan_office(today=today)
        assert services.scan_office(today=today).pk == scan.pk  # once per office and day
        figures = metrics.office_figures(month=today, today=today)
        assert (figures.closed, figures.resolved, figures.resolution_rate) == (1, 1, 1.0)
        assert (figures.return_visits_due, figures.return_visits_held) == (1, 1)
        assert figures.return_visit_timeliness == 1.0
        assert (figures.collective_alerts, figures.collective_alerts_visited) == (1, 1)
        assert figures.appointment_visits == 1 and figures.reopened == 0
        target_month = metrics.office_figures(month=case.target_date, today=today)
        assert (target_month.hard_cases_due, target_month.hard_cases_resolved_in_time) == (1, 1)

    # The city above sees the hard case in its subtree ledger, without content.
    with tenant_context(offices["hangzhou"]):
        entry = HardCaseEntry.objects.get(hard_case_id=case.pk)
        assert (entry.status, entry.milestones_done, entry.milestones_total) == ("resolved", 1, 2)
        assert entry.leader_name == str(leader)
    assert ResolutionScan.objects.filter(office=offices["xihu"], day=today).count() == 1
