"""Collective petitions: several distinct people, similar content, the same place or body, within
an office's window — across the offices of a subtree — raise alerts to the offices involved and
the offices above them, refreshed idempotently."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.search.builders import person, register_by
from tests.search.test_graphql import gql
from xinfang.graphql.nodes import OfficeNode
from xinfang.platform.cases.models import OfficeSettings, Petition
from xinfang.search.alerts import refresh_province
from xinfang.search.models import CollectiveAlert
from xinfang.search.tasks import refresh_collective_alerts_task

pytestmark = pytest.mark.django_db

PLACE = "杭州市西湖区三墩镇绿城小区"
VOICES = [
    "绿城小区旁边新建垃圾中转站，每天臭味很大，噪声扰民，严重影响居民正常生活，要求搬迁。",
    "我们绿城小区边上建了一个垃圾中转站，臭味严重，夜里噪声扰民，居民生活受到严重影响。",
    "小区旁边的垃圾中转站臭味太大，噪声也很严重，影响我们居民生活，请求把中转站搬走。",
    "绿城小区旁垃圾中转站气味难闻、噪声扰民，居民正常生活受到影响，多次反映没有解决。",
    "垃圾中转站建在我们绿城小区旁边，臭味和噪声严重影响居民生活，希望政府尽快搬迁。",
    "绿城小区居民反映：旁边垃圾中转站臭味、噪声扰民，严重影响正常生活，要求尽快处理。",
]


def _petition(offices, name, voice, *, days_ago=0.0, place=PLACE, who=None):
    with tenant_context(offices[name]):
        petition = register_by(who or person(), content=voice, place=place, place_code="330106")
        when = timezone.now() - datetime.timedelta(days=days_ago)
        Petition.objects.filter(pk=petition.pk).update(registered_at=when)
        petition.refresh_from_db()
    return petition


def _again(offices, name, earlier, voice):
    """One more petition by the first petitioner of `earlier` (a petition of office `name`)."""
    with tenant_context(offices[name]):
        who = earlier.petitioners.first()
        same = person(who.name, id_number=who.id_number, phone=who.phone)
    return _petition(offices, name, voice, who=same)


def _alerts(offices, name):
    with tenant_context(offices[name]):
        return list(CollectiveAlert.objects.all())


def _states(offices, name) -> list[tuple[str, str]]:
    """(group id, state) of every alert office `name` holds."""
    return [(a.group_id, a.state) for a in _alerts(offices, name)]


@pytest.fixture
def five_people_in_two_counties(offices, index_now):
    made = [_petition(offices, "xihu", VOICES[i], days_ago=i) for i in range(3)]
    made += [_petition(offices, "yuhang", VOICES[i], days_ago=i) for i in (3, 4)]
    index_now("xihu", *made[:3])
    index_now("yuhang", *made[3:])
    return made


def test_five_people_in_a_week_across_two_counties_alert_them_and_their_supervisors(
    offices, five_people_in_two_counties
):
    report = refresh_province("330000")
    assert report.groups == 1
    for name in ("xihu", "yuhang"):
        [alert] = _alerts(offices, name)
        assert alert.role == "involved" and alert.people_count == 5 and alert.petition_count == 5
        assert alert.office_codes == ["330106", "330110"]
    for name in ("hangzhou", "zhejiang"):
        [alert] = _alerts(offices, name)
        assert alert.role == "supervisor"
    assert _alerts(offices, "ningbo") == [] and _alerts(offices, "yinzhou") == []
    references = {m["reference"] for m in _alerts(offices, "zhejiang")[0].members}
    assert references == {p.reference for p in five_people_in_two_counties}


def test_refreshing_updates_the_same_alert_in_place(
    offices, index_now, five_people_in_two_counties
):
    refresh_province("330000")
    [before] = _alerts(offices, "hangzhou")
    sixth = _petition(offices, "xihu", VOICES[5])
    index_now("xihu", sixth)
    refresh_collective_alerts_task.apply()
    [after] = _alerts(offices, "hangzhou")
    assert (after.pk, after.group_id, after.detected_at) == (
        before.pk,
        before.group_id,
        before.detected_at,
    )
    assert after.people_count == 6 and after.refreshed_at > before.refreshed_at


def test_four_people_or_the_same_people_spread_over_a_month_are_not_collective(offices, index_now):
    few = [_petition(offices, "xihu", VOICES[i]) for i in range(4)]
    spread = [
        _petition(
            offices, "yuhang", VOICES[i], days_ago=10 * i, place="杭州市余杭区五常街道西溪小区"
        )
        for i in range(3)
    ]
    index_now("xihu", *few)
    index_now("yuhang", *spread)
    assert refresh_province("330000").groups == 0
    assert _alerts(offices, "xihu") == []


def test_an_office_with_a_lower_threshold_is_alerted_for_its_own_three_petitions(
    offices, index_now
):
    with tenant_context(offices["xihu"]):
        settings = OfficeSettings.current()
        settings.collective_min_people = 3
        settings.save()
    three = [_petition(offices, "xihu", VOICES[i]) for i in range(3)]
    index_now("xihu", *three)
    assert refresh_province("330000").groups == 1
    assert [a.role for a in _alerts(offices, "xihu")] == ["involved"]
    assert [a.role for a in _alerts(offices, "hangzhou")] == ["supervisor"]
    assert _alerts(offices, "yuhang") == []


ALERTS = """
query { collectiveAlerts { totalCount edges { node {
  id groupKey role state peopleCount offices { code } members { reference office { code } }
} } } }"""


def test_alerts_are_visible_in_graphql_to_the_supervisor(
    offices, officer_client, five_people_in_two_counties
):
    refresh_province("330000")
    client, _ = officer_client("hangzhou", "supervisor")
    alerts = gql(client, ALERTS)["data"]["collectiveAlerts"]
    [alert] = [edge["node"] for edge in alerts["edges"]]
    assert alert["role"] == "SUPERVISOR" and alert["state"] == "OPEN"
    assert alert["peopleCount"] == 5 and len(alert["members"]) == 5
    assert [o["code"] for o in alert["offices"]] == ["330106", "330110"]
    ningbo, _ = officer_client("ningbo", "supervisor")
    assert gql(ningbo, ALERTS)["data"]["collectiveAlerts"]["totalCount"] == 0


ALERTS_FILTERED = """
query($filter: CollectiveAlertFilterInput) { collectiveAlerts(filter: $filter) {
  totalCount edges { node { groupKey state closedAt members { petitionId reference canOpen } } }
} }"""
OPEN_MEMBER = "query($id: ID!) { crossOfficePetition(id: $id) { reference } }"
RESOLVE = """
mutation($id: ID!) { resolveCollectiveAlert(alertId: $id) { alert { state closedAt } } }"""


def test_members_say_which_this_office_may_open_and_alerts_filter_by_state_period_and_office(
    offices, officer_client, five_people_in_two_counties
):
    refresh_province("330000")
    client, _ = officer_client("xihu", "handler")
    own = {p.reference for p in five_people_in_two_counties[:3]}

    def alerts(**conditions):
        return gql(client, ALERTS_FILTERED, filter=conditions)["data"]["collectiveAlerts"]

    [edge] = alerts(states=["OPEN"], officeCodes=["330110"])["edges"]
    members = {m["reference"]: m["canOpen"] for m in edge["node"]["members"]}
    assert len(members) == 5, "members at every office of the action"
    assert {ref for ref, can in members.items() if can} == own, "yuhang's it may not open"
    for member in edge["node"]["members"]:  # opening goes through the visibility rules
        if not member["canOpen"]:
            opened = gql(client, OPEN_MEMBER, id=member["petitionId"])
            assert not (opened.get("data") or {}).get("crossOfficePetition"), member
    assert alerts(states=["RESOLVED"])["totalCount"] == 0
    assert alerts(officeCodes=["330212"])["totalCount"] == 0
    later = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert alerts(activeFrom=later)["totalCount"] == 0
    assert alerts(activeTo=later)["totalCount"] == 1


def test_an_officer_resolves_the_action_for_every_office_and_a_refresh_keeps_it_resolved(
    offices, officer_client, index_now, five_people_in_two_counties
):
    refresh_province("330000")
    [alert] = _alerts(offices, "xihu")
    client, _ = officer_client("xihu", "handler")
    with tenant_context(offices["xihu"]):
        alert_id = OfficeNode.to_global_id("CollectiveAlert", alert.pk)
    resolved = gql(client, RESOLVE, id=alert_id)["data"]["resolveCollectiveAlert"]["alert"]
    assert resolved["state"] == "RESOLVED" and resolved["closedAt"]
    for name in ("xihu", "yuhang", "hangzhou", "zhejiang"):
        assert [a.state for a in _alerts(offices, name)] == ["resolved"], name
    again = gql(client, RESOLVE, id=alert_id)["errors"][0]["extensions"]["code"]
    assert again == "INVALID_STATE"

    sixth = _petition(offices, "yuhang", VOICES[5])
    index_now("yuhang", sixth)
    refresh_province("330000")
    assert _states(offices, "hangzhou") == [(alert.group_id, "resolved")], (
        "one more petition of a resolved action raises nothing new"
    )

    again = _again(offices, "xihu", five_people_in_two_counties[0], VOICES[4])
    index_now("xihu", again)
    refresh_province("330000")
    assert _states(offices, "hangzhou") == [(alert.group_id, "resolved")], (
        "nor one of its people again beside that newcomer: one new person is no new action"
    )
