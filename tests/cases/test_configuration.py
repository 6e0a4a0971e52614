"""An office admin configures the office (the workbench's 管理 screen): its time limits within the
Regulations' bounds, and its own holidays and working weekends, which deadlines then roll over."""

import datetime

import pytest

from tests import factories
from tests.support.graphql import error_code, gql
from xinfang.platform.cases import configuration
from xinfang.platform.cases.deadlines import OfficeCalendar
from xinfang.platform.errors import PermissionDenied, ValidationError

pytestmark = pytest.mark.django_db

UPDATE = """mutation($s: OfficeSettingsInput!) {
  updateOfficeSettings(settings: $s) { settings { handlingDays routeDays } }
}"""
CALENDAR = """query($y: Int!) {
  officeCalendar(year: $y) { year covered days { day kind name source } }
}"""
SET_DAY = """mutation($d: Date!, $k: CalendarDayKind, $n: String) {
  setOfficeDay(day: $d, kind: $k, name: $n) { calendar { days { day source } } }
}"""
WEDNESDAY, SATURDAY = datetime.date(2026, 12, 16), datetime.date(2026, 12, 19)


def test_an_admin_shortens_the_handling_limit_and_new_deadlines_use_it(officer_client, in_office):
    client, _ = officer_client("xihu", "admin")
    body = gql(client, UPDATE, s={"handlingDays": 45})
    assert body["data"]["updateOfficeSettings"]["settings"] == {"handlingDays": 45, "routeDays": 15}
    with in_office("xihu"):
        assert OfficeCalendar.load().settings.handling_days == 45


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"handlingDays": 61}, "settings.handlingDays"),  # longer than the Regulations allow
        ({"reviewRequestDays": 15}, "settings.reviewRequestDays"),  # the petitioner's 30 days
        ({"collectiveMinPeople": 1}, "settings.collectiveMinPeople"),
    ],
)
def test_a_limit_out_of_bounds_is_refused_naming_its_field(officer_client, values, field):
    client, _ = officer_client("xihu", "admin")
    body = gql(client, UPDATE, s=values)
    assert error_code(body) == "INVALID_INPUT"
    assert body["errors"][0]["extensions"]["field"] == field


def test_only_an_admin_changes_the_office(officer_client):
    client, _ = officer_client("xihu", "leader")
    assert error_code(gql(client, UPDATE, s={"handlingDays": 30})) == "PERMISSION_DENIED"
    assert error_code(gql(client, SET_DAY, d="2026-12-16", k="HOLIDAY")) == "PERMISSION_DENIED"


def test_an_office_holiday_and_working_weekend_change_working_days_and_can_be_removed(in_office):
    with in_office("xihu"):
        admin = factories.officer(roles=("admin",))
        assert OfficeCalendar.load().is_working_day(WEDNESDAY)
        configuration.office_day_set(by=admin, day=WEDNESDAY, kind="holiday", name="地方节日")
        configuration.office_day_set(by=admin, day=SATURDAY, kind="workday")
        calendar = OfficeCalendar.load()
        assert not calendar.is_working_day(WEDNESDAY) and calendar.is_working_day(SATURDAY)
        assert calendar.roll(WEDNESDAY) == WEDNESDAY + datetime.timedelta(days=1)
        configuration.office_day_set(by=admin, day=WEDNESDAY, kind=None)
        configuration.office_day_set(by=admin, day=SATURDAY, kind=None)
        calendar = OfficeCalendar.load()
        assert calendar.is_working_day(WEDNESDAY) and not calendar.is_working_day(SATURDAY)


def test_a_weekday_is_never_made_a_working_weekend(in_office):
    with in_office("xihu"):
        admin = factories.officer(roles=("admin",))
        with pytest.raises(ValidationError) as refused:
            configuration.office_day_set(by=admin, day=WEDNESDAY, kind="workday")
        assert refused.value.field == "day"
        with pytest.raises(PermissionDenied):
            configuration.office_day_set(by=factories.officer(), day=SATURDAY, kind="workday")


def test_the_calendar_shows_the_nations_days_and_the_offices_own(officer_client):
    client, _ = officer_client("xihu", "admin")
    gql(client, SET_DAY, d="2026-12-16", k="HOLIDAY", n="地方节日")
    calendar = gql(client, CALENDAR, y=2026)["data"]["officeCalendar"]
    assert calendar["covered"] is True
    days = {(d["day"], d["source"]): d for d in calendar["days"]}
    assert days[("2026-10-01", "NATIONAL")]["kind"] == "HOLIDAY"
    assert days[("2026-12-16", "OFFICE")] == {
        "day": "2026-12-16", "kind": "HOLIDAY", "name": "地方节日", "source": "OFFICE"
    }  # fmt: skip
    assert [d["day"] for d in calendar["days"]] == sorted(d["day"] for d in calendar["days"])
