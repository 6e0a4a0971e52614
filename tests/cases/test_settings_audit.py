"""The audit of an office's configuration (管理 › 修改记录): every change of a limit or of one of
its own calendar days says who made it, when, and the value before and after; it is written in
the change's own transaction (a refused change leaves none), and only admins read it."""

import datetime

import pytest
from django.db import transaction

from tests.support.graphql import error_code, gid, gql
from xinfang.platform.cases import configuration
from xinfang.platform.cases.models import OfficeSettings, SettingsChange

pytestmark = pytest.mark.django_db

UPDATE = """mutation($s: OfficeSettingsInput!) {
  updateOfficeSettings(settings: $s) { settings { handlingDays } }
}"""
SET_DAY = """mutation($d: Date!, $k: CalendarDayKind, $n: String) {
  setOfficeDay(day: $d, kind: $k, name: $n) { calendar { year } }
}"""
CHANGES = """query($first: Int, $after: String) {
  settingsChanges(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      at kind setting day limitBefore limitAfter
      dayBefore { kind name } dayAfter { kind name }
      by { id username }
    } }
  }
}"""
SATURDAY = datetime.date(2026, 12, 19)


def _changes(client, **variables):
    body = gql(client, CHANGES, **variables)
    assert "errors" not in body, body
    return [e["node"] for e in body["data"]["settingsChanges"]["edges"]]


def test_a_limit_change_records_who_when_and_the_value_before_and_after(officer_client):
    client, admin = officer_client("xihu", "admin", username="admin-audit")
    gql(client, UPDATE, s={"handlingDays": 45, "routeDays": 15})  # routeDays stays 15: no row
    gql(client, UPDATE, s={"handlingDays": 50})
    newest, older = _changes(client)
    assert newest | {"at": None} == {
        "at": None,
        "kind": "LIMIT",
        "setting": "handlingDays",
        "day": None,
        "limitBefore": 45,
        "limitAfter": 50,
        "dayBefore": None,
        "dayAfter": None,
        "by": {"id": gid("Officer", "330106", admin.pk), "username": "admin-audit"},
    }
    assert (older["limitBefore"], older["limitAfter"]) == (60, 45)
    assert older["at"] <= newest["at"]


def test_a_calendar_day_change_records_the_entry_before_and_after(officer_client):
    client, _ = officer_client("xihu", "admin")
    gql(client, SET_DAY, d=SATURDAY.isoformat(), k="HOLIDAY", n="地方节日")
    gql(client, SET_DAY, d=SATURDAY.isoformat(), k="WORKDAY")
    gql(client, SET_DAY, d=SATURDAY.isoformat())  # removed
    gql(client, SET_DAY, d=SATURDAY.isoformat())  # nothing to remove: no row
    removed, to_workday, added = _changes(client)
    assert {c["day"] for c in (removed, to_workday, added)} == {SATURDAY.isoformat()}
    assert {c["kind"] for c in (removed, to_workday, added)} == {"DAY"}
    assert (added["dayBefore"], added["dayAfter"]) == (
        None,
        {"kind": "HOLIDAY", "name": "地方节日"},
    )
    assert to_workday["dayBefore"] == {"kind": "HOLIDAY", "name": "地方节日"}
    assert to_workday["dayAfter"] == {"kind": "WORKDAY", "name": ""}
    assert (removed["dayBefore"], removed["dayAfter"]) == ({"kind": "WORKDAY", "name": ""}, None)
    assert added["setting"] is None and added["limitBefore"] is None


def test_a_refused_change_leaves_no_audit_row(officer_client, in_office):
    client, _ = officer_client("xihu", "admin")
    body = gql(client, UPDATE, s={"routeDays": 10, "handlingDays": 61})
    assert error_code(body) == "INVALID_INPUT"
    with in_office("xihu"):
        assert not SettingsChange.objects.exists()


def test_the_audit_row_and_the_change_commit_or_roll_back_together(in_office, officer_client):
    _, admin = officer_client("xihu", "admin")
    with in_office("xihu"):
        with pytest.raises(RuntimeError), transaction.atomic():
            configuration.office_settings_update(by=admin, values={"handling_days": 30})
            assert SettingsChange.objects.get().after == 30  # by the service, not after commit
            raise RuntimeError("the change's transaction rolls back")
        assert OfficeSettings.current().handling_days == 60
        assert not SettingsChange.objects.exists()


def test_only_admins_read_the_audit(officer_client):
    client, _ = officer_client("xihu", "leader")
    assert error_code(gql(client, CHANGES)) == "PERMISSION_DENIED"


def test_the_audit_pages_newest_first_in_bounded_queries(
    officer_client, django_assert_max_num_queries
):
    client, _ = officer_client("xihu", "admin")
    for days in range(30, 60):
        gql(client, UPDATE, s={"handlingDays": days})
    with django_assert_max_num_queries(8):
        first = _changes(client, first=20)
    assert [c["limitAfter"] for c in first] == list(range(59, 39, -1))
    body = gql(client, CHANGES, first=20)["data"]["settingsChanges"]
    rest = _changes(client, first=20, after=body["pageInfo"]["endCursor"])
    assert [c["limitAfter"] for c in rest] == list(range(39, 29, -1))
    assert body["totalCount"] == 30
