"""包案 and the hard-case ledger a higher office reads; care plans after termination (Art 37)."""

import pytest

from tests.cases.support import petition_at
from tests.resolution.support import code_of, hard_case_open, in_days
from tests.support.ladder import rereviewed
from xinfang.platform.cases import services as cases
from xinfang.platform.resolution import selectors, services
from xinfang.platform.resolution.ledger.models import CarePlanEntry
from xinfang.platform.resolution.models import VisitKind
from xinfang.platform.resolution.services import VisitInput

pytestmark = pytest.mark.django_db


def care_plan_open(staff, petition, **fields):
    """A relief plan for `petition` by Xihu's leader, the handler contacting every 30 days;
    `fields` change any of that."""
    return services.care_plan_open(
        **{
            "officer": staff["leader"],
            "petition": petition,
            "measures": ["relief"],
            "plan": "疏导",
            "owner": staff["handler"],
            "contact_every_days": 30,
            **fields,
        }
    )


def test_a_leader_takes_charge_and_the_subtree_ledger_shows_progress(offices, staff, in_office):
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=staff)
        refusals = (
            ({"leader": staff["handler"]}, "LEADER_REQUIRED"),
            ({"officer": staff["handler"]}, "PERMISSION_DENIED"),
            ({"target_date": in_days(0)}, "INVALID_DUE_DATE"),
        )
        for wrong, code in refusals:
            assert code_of(hard_case_open, staff, petition, **wrong) == code, wrong
        case = hard_case_open(
            staff,
            petition,
            leader=staff["leader2"],
            plan="局长包案",
            milestones=[("约谈", in_days(5))],
        )
        services.milestone_add(
            officer=staff["leader"], hard_case=case, title="协调会", due_on=in_days(10)
        )
        services.milestone_complete(officer=staff["handler"], milestone=case.milestones.first())
    for name, sees in (("hangzhou", True), ("zhejiang", True), ("ningbo", False), ("xihu", True)):
        ledger = list(selectors.hard_case_ledger(office=offices[name], statuses=["open"]))
        assert (len(ledger) == 1) is sees, name
    [entry] = selectors.hard_case_ledger(office=offices["hangzhou"])
    assert (entry.office.code, entry.milestones_done, entry.milestones_total) == ("330106", 1, 2)
    assert entry.reference == petition.reference and entry.reason == "repeat"


def test_a_terminated_matter_gets_a_care_plan_and_its_visits(offices, staff, in_office):
    with in_office("xihu"):
        open_matter = petition_at("evaluated", officers=staff)
        assert code_of(care_plan_open, staff, open_matter) == "NOT_TERMINATED"
        ended = cases.petition_terminate(
            petition=open_matter.pk,
            officer=staff["leader"],
            recheck_reference=rereviewed(open_matter).receiver_reference,
        )
        assert code_of(care_plan_open, staff, ended, owner=None) == "OWNER_REQUIRED"
        plan = care_plan_open(
            staff,
            ended,
            measures=["relief", "judicial_referral"],
            plan="转介司法救助，每两周联系",
            contact_every_days=14,
        )
        assert plan.next_contact_on == in_days(14)
        services.visit_record(
            officer=staff["handler"],
            data=VisitInput(
                kind=VisitKind.FIELD,
                officers=[staff["handler"]],
                petition_ids=[ended.pk],
                care_plan_id=plan.pk,
                summary="上门走访，情绪稳定",
            ),
        )
        plan.refresh_from_db()
    entry = CarePlanEntry.objects.get(care_plan_id=plan.pk)
    assert entry.visits == 1 and entry.next_contact_on == plan.next_contact_on
    assert [e.care_plan_id for e in selectors.care_plan_ledger(office=offices["zhejiang"])] == [
        plan.pk
    ]
