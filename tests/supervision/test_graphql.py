"""Supervision over GraphQL: the overview, orders and subtree metrics, for the right roles."""

import datetime

from django.utils import timezone
from graphql_relay import from_global_id

from tests.support.graphql import gid, gql
from tests.support.queries import assert_queries
from xinfang.platform.supervision.models import SupervisionOrder


def order_pk(global_id: str) -> str:
    return from_global_id(global_id)[1].partition(":")[2]


def codes(body):
    return [e["extensions"]["code"] for e in body.get("errors", [])]


ISSUE = """
mutation($p: ID!, $due: Date!, $key: String) {
  issueSupervisionOrder(petitionId: $p, reason: OTHER, instructions: "限期办结",
                        dueDate: $due, idempotencyKey: $key) {
    order { id status reason targetOffice { code } overdue } } }"""

OVERVIEW = """
{ supervisionOverview {
  overdue(first: 5) { totalCount edges { node { reference petitionId office { code } } } }
  crossLevel { totalCount edges { node { reference status aboutOffice { code } } } }
  escalatedToOffice { totalCount edges { node { reference: senderReference } } }
  handedOffByOffice { totalCount }
  overdueOrders { totalCount edges { node { reference } } }
  byOffice { office { code } overdue skipLevel } } }"""


def test_an_order_issued_and_answered_over_graphql(offices, officer_client, register):
    city, _ = officer_client("hangzhou", "supervisor")
    petition = register("xihu")
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    seen_from_city = gid("CrossOfficePetition", "330100", petition.pk)
    first = gql(city, ISSUE, p=seen_from_city, due=due, key="g-1")
    again = gql(city, ISSUE, p=seen_from_city, due=due, key="g-1")
    order = first["data"]["issueSupervisionOrder"]["order"]
    assert order["targetOffice"]["code"] == "330106" and order["status"] == "OPEN"
    assert again["data"]["issueSupervisionOrder"]["order"]["id"] == order["id"]
    assert SupervisionOrder.objects.count() == 1

    county, _ = officer_client("xihu", "handler")
    received = gql(
        county, "{ supervisionOrders(issued: false) { totalCount edges { node { id } } } }"
    )["data"]["supervisionOrders"]
    county_id = gid("SupervisionOrder", "330106", order_pk(order["id"]))
    assert received["totalCount"] == 1
    assert [e["node"]["id"] for e in received["edges"]] == [county_id]
    answer = (
        'mutation($id: ID!) { answerSupervisionOrder(orderId: $id, answer: "已办结") '
        "{ order { status petitionId } } }"
    )
    other, _ = officer_client("yuhang", "handler")
    yuhang_id = gid("SupervisionOrder", "330110", order_pk(order["id"]))
    assert codes(gql(other, answer, id=yuhang_id)) == ["NOT_VISIBLE"]
    assert codes(gql(county, answer, id=order["id"])) == ["NOT_FOUND"]  # the city's ID
    body = gql(county, answer, id=county_id)
    answered = body["data"]["answerSupervisionOrder"]["order"]
    assert answered == {"status": "ANSWERED", "petitionId": gid("Petition", "330106", petition.pk)}


def test_a_county_cannot_order_its_city(officer_client, register):
    county, _ = officer_client("xihu", "supervisor")
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    body = gql(
        county, ISSUE, p=gid("CrossOfficePetition", "330106", register("hangzhou").pk), due=due
    )
    assert codes(body) == ["NOT_VISIBLE"]


def test_the_overview_needs_a_supervisor_and_shows_the_subtree(officer_client, register):
    register("hangzhou", place_code="330106")
    registrar, _ = officer_client("hangzhou", "registrar")
    assert codes(gql(registrar, OVERVIEW)) == ["PERMISSION_DENIED"]
    supervisor, _ = officer_client("hangzhou", "supervisor")
    # the host, the session, the officer; the overview's counts (5); one page per list (5); the
    # offices the cross-level rows are about (1, batched)
    with assert_queries(14):
        body = gql(supervisor, OVERVIEW)["data"]["supervisionOverview"]
    assert body["crossLevel"]["totalCount"] == 1
    [row] = [edge["node"] for edge in body["crossLevel"]["edges"]]
    assert row["status"] == "REGISTERED" and row["aboutOffice"] == {"code": "330106"}
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
