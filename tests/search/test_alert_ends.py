"""How collective alerts end, through the database, Elasticsearch and GraphQL: two alerts that
turn out to be one action merge into the older at every office that sees either, and an alert
that nothing joined for its window closes at every office, once its look-back no longer makes
it collective, and stays closed."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.search.test_collective import (
    ALERTS_FILTERED,
    VOICES,
    _again,
    _alerts,
    _petition,
    _states,
)
from tests.search.test_graphql import gql
from tests.support.queries import assert_queries
from xinfang.graphql.nodes import OfficeNode
from xinfang.platform.cases.models import OfficeSettings
from xinfang.search.alerts import refresh_province

pytestmark = pytest.mark.django_db

CHAIN = ("xihu", "yuhang", "hangzhou", "zhejiang")  # both counties and every office above them
# The same station seen from its road: the refuse trucks and the official who answers for them.
# The scoring links these to one another, never to VOICES (they share the estate, not the station).
TRUCKS = [
    "绿城小区的垃圾清运车每天凌晨四点就来，污水一路滴漏，找环卫所王站长多次都说管不了。",
    "环卫所王站长对绿城小区居民反映的清运车凌晨作业、污水滴漏问题一直推脱不管。",
    "绿城小区门口清运车凌晨作业吵得睡不着，车上污水滴了一地，王站长一直不处理。",
    "我们向王站长反映绿城小区清运车凌晨扰民、污水滴漏，至今没有答复。",
    "绿城小区居民：清运车每天凌晨来，噪声大污水滴漏，环卫所王站长推诿。",
]
# Names the station, its trucks and the official: one petition that links both groups.
BOTH = (
    "绿城小区旁边的垃圾中转站臭味噪声扰民，进出中转站的清运车凌晨作业污水滴漏，"
    "找王站长多次没有解决。"
)
ACKNOWLEDGE = """
mutation($id: ID!) { acknowledgeCollectiveAlert(alertId: $id) { alert { state } } }"""
PAGE = """
query($first: Int, $filter: CollectiveAlertFilterInput) {
  collectiveAlerts(first: $first, filter: $filter) { totalCount edges { node {
    groupKey role state peopleCount closedAt mergedIntoGroupKey offices { code }
    members { petitionId reference canOpen office { code } }
  } } }
}"""


def _copies(offices, group_id):
    """Each office's copy of one alert, by office name (offices without one left out)."""
    return {
        name: alert
        for name in offices
        for alert in _alerts(offices, name)
        if alert.group_id == group_id
    }


def _nodes(client, query=ALERTS_FILTERED, **variables):
    body = gql(client, query, **variables)
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["collectiveAlerts"]["edges"]]


@pytest.fixture
def two_alerts_then_one(offices, officer_client, index_now):
    """The station's neighbours at Xihu, alerted first and acknowledged by Xihu; then its trucks'
    at Xihu and Yuhang, alerted second; then one petition naming both merges them."""
    start = timezone.now()
    smell = [_petition(offices, "xihu", v, days_ago=6 - i / 2) for i, v in enumerate(VOICES[:5])]
    index_now("xihu", *smell)
    refresh_province("330000", now=start - datetime.timedelta(days=3.5))
    [older] = _alerts(offices, "xihu")
    client, _ = officer_client("xihu", "handler")
    with tenant_context(offices["xihu"]):
        older_id = OfficeNode.to_global_id("CollectiveAlert", older.pk)
    acknowledged = gql(client, ACKNOWLEDGE, id=older_id)["data"]["acknowledgeCollectiveAlert"]
    assert acknowledged["alert"]["state"] == "ACKNOWLEDGED"

    trucks = [
        _petition(offices, name, v, days_ago=3 - i / 2)
        for i, (name, v) in enumerate(zip(("xihu",) * 3 + ("yuhang",) * 2, TRUCKS, strict=True))
    ]
    index_now("xihu", *trucks[:3])
    index_now("yuhang", *trucks[3:])
    refresh_province("330000", now=start - datetime.timedelta(days=0.5))
    [newer] = [a for a in _alerts(offices, "xihu") if a.group_id != older.group_id]
    assert (older.state, newer.state) == ("open", "open"), "two live alerts before the merge"
    assert {a.group_id for a in _alerts(offices, "yuhang")} == {newer.group_id}
    before = {name: copy.pk for name, copy in _copies(offices, older.group_id).items()}

    both = _petition(offices, "xihu", BOTH)
    index_now("xihu", both)
    report = refresh_province("330000")
    return {
        "older": older,
        "newer": newer,
        "before": before,
        "petitions": [*smell, *trucks, both],
        "report": report,
        "xihu": client,
    }


def test_the_newer_alert_merges_into_the_older_at_every_office_that_sees_either(
    offices, two_alerts_then_one
):
    older, newer = two_alerts_then_one["older"], two_alerts_then_one["newer"]
    references = {p.reference for p in two_alerts_then_one["petitions"]}
    assert two_alerts_then_one["report"].group_ids == [older.group_id]
    kept, merged = _copies(offices, older.group_id), _copies(offices, newer.group_id)
    assert set(kept) == set(merged) == set(CHAIN), "not Ningbo's, not Yinzhou's"
    for name in CHAIN:
        alert = kept[name]
        assert alert.state == ("acknowledged" if name == "xihu" else "open"), name
        assert (alert.people_count, alert.petition_count) == (11, 11), name
        assert {m["reference"] for m in alert.members} == references, name
        assert alert.office_codes == ["330106", "330110"], name
        assert alert.detected_at == older.detected_at and alert.closed_at is None, name
        assert alert.role == ("involved" if name in ("xihu", "yuhang") else "supervisor"), name
        ended = merged[name]
        assert (ended.state, ended.merged_into) == ("merged", older.group_id), name
        assert ended.closed_at == merged["zhejiang"].closed_at > newer.detected_at, name
    assert {name: kept[name].pk for name in two_alerts_then_one["before"]} == (
        two_alerts_then_one["before"]
    ), "the older alert's copies are kept, not replaced"
    assert "yuhang" not in two_alerts_then_one["before"], "Yuhang sees the older one only now"


def test_officers_read_one_live_alert_and_the_merged_one_pointing_at_it(
    officer_client, two_alerts_then_one
):
    older, newer = two_alerts_then_one["older"], two_alerts_then_one["newer"]
    xihu = two_alerts_then_one["xihu"]
    [live] = _nodes(xihu, PAGE, filter={"states": ["OPEN", "ACKNOWLEDGED"]})
    assert (live["groupKey"], live["state"], live["peopleCount"]) == (
        older.group_id,
        "ACKNOWLEDGED",
        11,
    )
    assert live["mergedIntoGroupKey"] is None and live["closedAt"] is None
    assert {m["office"]["code"] for m in live["members"]} == {"330106", "330110"}
    [ended] = _nodes(xihu, PAGE, filter={"states": ["MERGED"]})
    assert (ended["groupKey"], ended["mergedIntoGroupKey"]) == (newer.group_id, older.group_id)
    assert ended["closedAt"]
    everything = _nodes(xihu, PAGE)
    assert {(a["groupKey"], a["state"]) for a in everything} == {
        (older.group_id, "ACKNOWLEDGED"),
        (newer.group_id, "MERGED"),
    }, "without a state filter every alert is listed, each with its state"

    hangzhou, _ = officer_client("hangzhou", "supervisor")
    [supervised] = _nodes(hangzhou, PAGE, filter={"states": ["OPEN"]})
    assert (supervised["groupKey"], supervised["role"], supervised["state"]) == (
        older.group_id,
        "SUPERVISOR",
        "OPEN",
    ), "Xihu's acknowledgement is Xihu's own"
    assert len(supervised["members"]) == 11
    assert _nodes(hangzhou, PAGE, filter={"states": ["ACKNOWLEDGED"]}) == []
    workbench = gql(hangzhou, "{ collectiveAlerts(state: OPEN) { totalCount } }")
    assert workbench["data"]["collectiveAlerts"]["totalCount"] == 1


@pytest.mark.parametrize("first", [1, 10])
def test_a_page_of_alerts_with_members_takes_the_same_queries_whatever_its_size(
    first, two_alerts_then_one
):
    # 7 statements: host → office, session, officer, the page, its count, then for every
    # member of the page at once their offices and the registry (canOpen)
    with assert_queries(7):
        nodes = _nodes(two_alerts_then_one["xihu"], PAGE, first=first)
    assert len(nodes) == min(first, 2)
    assert sum(len(node["members"]) for node in nodes) == (11 if first == 1 else 16)


@pytest.fixture
def quiet_action(offices, index_now):
    """Five people at Xihu and Yuhang within five days, a month before `start`, alerted then;
    the first three have left the look-back at `start`, the last two have not."""
    start = timezone.now()
    made = [
        _petition(offices, name, VOICES[i], days_ago=days)
        for i, (name, days) in enumerate(
            zip(("xihu",) * 3 + ("yuhang",) * 2, (34, 33, 32, 30, 29.5), strict=True)
        )
    ]
    index_now("xihu", *made[:3])
    index_now("yuhang", *made[3:])
    refresh_province("330000", now=start - datetime.timedelta(days=29))
    [alert] = _alerts(offices, "hangzhou")
    assert alert.decided_by == "330100", "Hangzhou's five people in its seven days"
    return {"start": start, "alert": alert, "petitions": made}


@pytest.mark.parametrize(
    "widened, state",
    [("xihu", "closed"), ("hangzhou", "open")],
    ids=["an involved office's window", "the deciding office's window"],
)
def test_an_alert_closes_at_every_office_once_quiet_for_the_deciders_window_and_not_collective(
    offices, officer_client, quiet_action, widened, state
):
    start, alert = quiet_action["start"], quiet_action["alert"]
    with tenant_context(offices[widened]):
        settings = OfficeSettings.current()
        settings.collective_window_days = 31
        settings.save()
    refresh_province("330000", now=start - datetime.timedelta(days=21))
    assert {n: a.state for n, a in _copies(offices, alert.group_id).items()} == dict.fromkeys(
        CHAIN, "open"
    ), "quiet for eight days, but its look-back still makes it collective"

    refresh_province("330000", now=start)  # two of its people left in the look-back
    copies = _copies(offices, alert.group_id)
    assert set(copies) == set(CHAIN)
    for name, copy in copies.items():
        assert copy.state == state, name
        assert copy.closed_at == (start if state == "closed" else None), name
    if state == "open":
        return  # 29.5 quiet days are within the deciding office's 31
    xihu, _ = officer_client("xihu", "handler")
    [closed] = _nodes(xihu, filter={"states": ["CLOSED"]})
    assert (closed["groupKey"], closed["state"]) == (alert.group_id, "CLOSED")
    assert closed["closedAt"] and len(closed["members"]) == 5
    hangzhou, _ = officer_client("hangzhou", "supervisor")
    assert _nodes(hangzhou, filter={"states": ["OPEN", "ACKNOWLEDGED"]}) == []


def test_a_closed_alert_stays_closed_and_a_new_wave_of_people_opens_its_own(
    offices, index_now, quiet_action
):
    alert, made = quiet_action["alert"], quiet_action["petitions"]
    refresh_province("330000", now=quiet_action["start"])
    again = _again(offices, "yuhang", made[3], VOICES[5])
    index_now("yuhang", again)
    refresh_province("330000")
    assert _states(offices, "hangzhou") == [(alert.group_id, "closed")], (
        "one of its people again raises nothing new"
    )

    wave = [_petition(offices, "xihu", v) for v in VOICES[1:5]]
    index_now("xihu", *wave)
    report = refresh_province("330000")
    [fresh] = [a for a in _alerts(offices, "hangzhou") if a.group_id != alert.group_id]
    assert report.group_ids == [fresh.group_id] and fresh.state == "open"
    assert {m["reference"] for m in fresh.members} == {p.reference for p in (again, *wave)}, (
        "the new wave's petitions, not the closed alert's"
    )
    assert {n: a.state for n, a in _copies(offices, alert.group_id).items()} == dict.fromkeys(
        CHAIN, "closed"
    )
