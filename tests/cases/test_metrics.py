"""Office metrics for a period: received, first-time vs repeat, on time, extended, satisfaction."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.cases.support import petition_at
from tests.support.graphql import error_code, gql
from xinfang.platform.cases import metrics, services
from xinfang.platform.cases.models import Petition
from xinfang.platform.cases.services import PetitionerInput

pytestmark = pytest.mark.django_db


def test_metrics_count_receipts_repeats_timeliness_extensions_and_satisfaction(
    xihu_staff, in_office
):
    today = timezone.localdate()
    with in_office("yinzhou"):
        staff_here = {role: factories.officer(roles=(role.rstrip("2"),)) for role in xihu_staff}
        person = [PetitionerInput(name="陈一", id_number=factories.id_number())]
        satisfied = petition_at("evaluated", officers=staff_here, petitioners=person)
        repeat = petition_at(
            "in_handling", officers=staff_here, petitioners=person, channel="letter"
        )
        services.petition_extend(petition=repeat, officer=staff_here["leader"], days=10,
                                 reason="需补充材料")  # fmt: skip
        late = petition_at("replied", officers=staff_here, category="02.01")
        Petition.objects.filter(pk=late.pk).update(handling_due=today - datetime.timedelta(days=1))
        result = metrics.office_metrics(start=today, end=today)
    total = result.total
    assert (total.received, total.first_time, total.repeat) == (3, 2, 1)
    assert (total.accepted, total.accepted_on_time) == (3, 3)
    assert (total.completed, total.completed_on_time) == (2, 1)
    assert total.extended == 1
    assert (total.evaluated, total.satisfied, total.satisfaction_rate) == (1, 1, 1.0)
    by_channel = {b.key: b.figures.received for b in result.by_channel}
    assert by_channel == {"letter": 1, "visit": 2}
    by_category = {b.key: b.figures.received for b in result.by_category}
    assert by_category == {"01.01": 2, "02.01": 1}
    assert satisfied.satisfaction == "satisfied"


def test_metrics_through_graphql_need_a_leader_or_supervisor(officer_client):
    today = timezone.localdate().isoformat()
    query = "query($d: Date!) { officeMetrics(start: $d, end: $d) { total { received } } }"
    registrar, _ = officer_client("xihu", "registrar")
    supervisor, _ = officer_client("xihu", "supervisor")
    assert error_code(gql(registrar, query, d=today)) == "PERMISSION_DENIED"
    assert gql(supervisor, query, d=today)["data"]["officeMetrics"]["total"]["received"] >= 0
