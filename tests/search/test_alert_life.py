"""The life of a collective alert (search/collective.track), without services: one alert per
action, which keeps its id as the action grows, merges when two turn out to be one, and closes
when nothing joined it for the window."""

from datetime import UTC, datetime, timedelta

from xinfang.search import scoring
from xinfang.search.collective import CLOSED, MERGED, OPEN, Group, Member, track

START = datetime(2026, 3, 1, tzinfo=UTC)
NO_PROFILE = scoring.Profile.of({})


def member(name: str, day: int, office: str = "330106") -> Member:
    return Member(
        petition_id=name,
        office_code=office,
        lineage=("330000", "330100", office),
        reference=f"{office}-{name}",
        registered_at=START + timedelta(days=day),
        people=frozenset({f"person-{name}"}),
        profile=NO_PROFILE,
    )


def group(*members: Member) -> Group:
    return Group(members=list(members), decided_by="330106", people=len(members))


def refresh(alerts, groups, day: int):
    return track(alerts, groups, now=START + timedelta(days=day), window_days=lambda code: 7)


def live(alerts):
    return [a for a in alerts if a.state == OPEN]


def test_a_growing_action_keeps_one_alert_and_its_id():
    first = [member(n, 0) for n in "abcde"]
    alerts = refresh([], [group(*first)], day=0)
    [alert] = alerts
    grown = [*first, member("f", 9, office="330100"), member("g", 12)]
    alerts = refresh(alerts, [group(*grown[2:])], day=12)  # a, b left the look-back
    assert [a.alert_id for a in alerts] == [alert.alert_id]
    assert alert.member_ids == set("abcdefg") and len(alert.people) == 7


def test_two_alerts_that_turn_out_to_be_one_action_merge_into_the_older():
    west = [member(n, 0) for n in "abcde"]
    east = [member(n, 2, office="330110") for n in "vwxyz"]
    alerts = refresh([], [group(*west)], day=1)
    alerts = refresh(alerts, [group(*west), group(*east)], day=2)
    older, newer = alerts
    alerts = refresh(alerts, [group(*west, *east, member("m", 3))], day=3)
    assert live(alerts) == [older]
    assert (newer.state, newer.merged_into) == (MERGED, older.alert_id)
    assert older.member_ids == set("abcdevwxyzm")


def test_a_quiet_alert_closes_and_its_members_raise_nothing_new():
    action = [member(n, 0) for n in "abcde"]
    alerts = refresh([], [group(*action)], day=0)
    alerts = refresh(alerts, [group(*action)], day=8)
    assert [a.state for a in alerts] == [OPEN], "still collective in the look-back"
    alerts = refresh(alerts, [], day=9)
    assert [a.state for a in alerts] == [CLOSED]
    alerts = refresh(alerts, [group(*action)], day=10)
    assert len(alerts) == 1, "the same members do not open a second alert"
