"""Supervision over GraphQL: the overview, orders and subtree metrics, for the right roles."""

import datetime

from django.utils import timezone

from tests.support.graphql import gql
from xinfang.platform.supervision.models import SupervisionOrder


def codes(body):
    return [e["extensions"]["code"] for e in body.get("errors", [])]


ISSUE = """
mutation($p: UUID!, $due: Date!, $key: String) {
  issueSupervisionOrder(petitionId: $p, reason: OTHER, instructions: "限期办结",
                        dueDate: $due, idempotencyKey: $key) {
    order { id status reason targetOffice { code } overdue } } }"""

OVERVIEW = """
{ supervisionOverview { overdueCount crossLevelCount escalatedToOfficeCount
  handedOffByOfficeCount overdueOrdersCount overdue { reference office { code } }
  overdueOrders { reference } byOffice { office { code } overdue skipLevel } } }"""


def test_an_order_issued_and_answered_over_graphql(offices, officer_client, register):
    city, _ = officer_client("hangzhou", "supervisor")
    petition = register("xihu")
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    first = gql(city, ISSUE, p=str(petition.pk), due=due, key="g-1")
    again = gql(city, ISSUE, p=str(petition.pk), due=due, key="g-1")
    order = first["data"]["issueSupervisionOrder"]["order"]
    assert order["targetOffice"]["code"] == "330106" and order["status"] == "OPEN"
    assert again["data"]["issueSupervisionOrder"]["order"]["id"] == order["id"]
    assert SupervisionOrder.objects.count() == 1

    county, _ = officer_client("xihu", "handler")
    received = gql(county, "{ supervisionOrders(issued: false) { id } }")
    assert [o["id"] for o in received["data"]["supervisionOrders"]] == [order["id"]]
    answer = (
        'mutation($id: UUID!) { answerSupervisionOrder(orderId: $id, answer: "已办结") '
        "{ order { status } } }"
    )
    other, _ = officer_client("yuhang", "handler")
    assert codes(gql(other, answer, id=order["id"])) == ["NOT_VISIBLE"]
    body = gql(county, answer, id=order["id"])
    assert body["data"]["answerSupervisionOrder"]["order"]["status"] == "ANSWERED"


def test_a_county_cannot_order_its_city(officer_client, register):
    county, _ = officer_client("xihu", "supervisor")
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    body = gql(county, ISSUE, p=str(register("hangzhou").pk), due=due)
    assert codes(body) == ["NOT_VISIBLE"]


def test_the_overview_needs_a_supervisor_and_shows_the_subtree(officer_client, register):
    register("hangzhou", place_code="330106")
    registrar, _ = officer_client("hangzhou", "registrar")
    assert codes(gql(registrar, OVERVIEW)) == ["PERMISSION_DENIED"]
    supervisor, _ = officer_client("hangzhou", "supervisor")
    body = gql(supervisor, OVERVIEW)["data"]["supervisionOverview"]
    assert body["crossLevelCount"] == 1
    assert body["byOffice"] == [{"office": {"code": "330100"}, "overdue": 0, "skipLevel": 1}]


def test_subtree_metrics_over_graphql(offices, officer_client, register):
    from xinfang.platform.supervision.services import metrics_compute

    register("xihu")
    month = timezone.localdate().replace(day=1)
    metrics_compute(office=offices["xihu"], month=month)
    leader, _ = officer_client("hangzhou", "leader")
    body = gql(
        leader,
        "query($m: Date!) { subtreeMetrics(fromMonth: $m, toMonth: $m) "
        "{ total { registered repeatRate } offices { office { code } registered } } }",
        m=month.isoformat(),
    )
    assert body["data"]["subtreeMetrics"]["total"]["registered"] == 1
    assert body["data"]["subtreeMetrics"]["offices"] == [
        {"office": {"code": "330106"}, "registered": 1}
    ]
