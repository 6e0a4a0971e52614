"""The nation's holidays and 调休 working weekends apply to every office, with office additions on
top; a year the calendar does not cover fails loudly; a new year is loaded by a command."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from tests.cases.support import petition_at
from xinfang.platform.cases import deadlines, services
from xinfang.platform.cases.models import Holiday, OfficeSettings
from xinfang.platform.holidays import sources
from xinfang.platform.holidays.models import CalendarDay, CalendarSource, CalendarYear

pytestmark = pytest.mark.django_db

D = datetime.date


def test_every_office_rolls_past_national_day_2026_with_no_rows_of_its_own(offices, in_office):
    for name in ("zhejiang", "yinzhou"):
        with in_office(name):
            assert not Holiday.objects.exists()
            calendar = deadlines.OfficeCalendar.load()
        # 国庆 2026: 1–7 Oct off; Sun 20 Sep and Sat 10 Oct are working days (调休).
        assert calendar.due(D(2026, 9, 28), 3) == D(2026, 10, 8)
        assert calendar.due(D(2026, 9, 28), 12) == D(2026, 10, 10)
        assert calendar.due(D(2026, 9, 28), 13) == D(2026, 10, 12)
        assert calendar.roll(D(2026, 9, 20)) == D(2026, 9, 20)


def test_an_office_adds_its_own_holidays_and_working_weekends_on_top(in_office):
    with in_office("xihu"):
        Holiday.objects.create(day=D(2026, 10, 8), name="地方节日")
        OfficeSettings.objects.update_or_create(
            pk=1, defaults={"working_weekends": [D(2026, 10, 11)]}
        )
        calendar = deadlines.OfficeCalendar.load()
    assert calendar.due(D(2026, 9, 28), 3) == D(2026, 10, 9)  # 8 Oct is this office's holiday
    assert calendar.roll(D(2026, 10, 11)) == D(2026, 10, 11)  # and this Sunday its working day
    assert not calendar.is_working_day(D(2026, 10, 5))  # the nation's days still apply


def test_a_deadline_in_a_year_the_calendar_does_not_cover_is_a_typed_error(xihu_staff, in_office):
    CalendarYear.objects.filter(year__gte=2027).delete()
    with in_office("xihu"):
        calendar = deadlines.OfficeCalendar.load()
        with pytest.raises(deadlines.CalendarNotCovered) as raised:
            calendar.due(D(2026, 12, 20), 60)
        assert raised.value.code == "HOLIDAY_CALENDAR_NOT_COVERED"
        assert raised.value.extra == {"year": 2027}
        petition = petition_at("routed", officers=xihu_staff)
        with pytest.raises(deadlines.CalendarNotCovered):  # the service refuses, nothing moves
            services.petition_accept(petition=petition, officer=xihu_staff["registrar"])


def test_spring_festival_2027_from_a_notice_loaded_by_the_command(in_office, tmp_path):
    """The notice's format; the days are this test's, not the State Council's."""
    notice = tmp_path / "2027.json"
    notice.write_text(
        json.dumps(
            {
                "year": 2027,
                "notice": "test notice",
                "holidays": [{"name": "春节", "from": "2027-02-05", "to": "2027-02-12"}],
                "workdays": [{"name": "春节", "day": "2027-02-14"}],
            }
        ),
        "utf-8",
    )
    call_command("load_holidays", "--file", str(notice), verbosity=0)
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.NOTICE
    with in_office("xihu"):
        calendar = deadlines.OfficeCalendar.load()
    assert calendar.due(D(2027, 1, 6), 30) == D(2027, 2, 14)  # 5 Feb → the working Sunday
    assert calendar.roll(D(2027, 2, 15)) == D(2027, 2, 15)


def test_spring_festival_2027_is_known_from_the_statute_before_the_notice(in_office):
    """Until the notice is loaded the law's days hold: 除夕 to 初三, 补假 for the weekend."""
    call_command("load_holidays", "--statutory", "2027", verbosity=0)
    with in_office("xihu"):
        calendar = deadlines.OfficeCalendar.load()
    statutory = sources.statutory(2027)
    assert [d for d, n in sorted(statutory.holidays.items()) if n.startswith("春节")] == [
        D(2027, 2, 5) + datetime.timedelta(days=n) for n in range(6)
    ]
    assert calendar.due(D(2027, 1, 6), 30) == D(2027, 2, 11)  # 5 Feb (除夕) → after 补假
    assert CalendarYear.objects.get(year=2027).provisional


def test_the_command_reloads_a_missing_year_from_the_package():
    CalendarYear.objects.filter(year=2026).delete()
    CalendarDay.objects.filter(day__year=2026).delete()
    call_command("load_holidays", verbosity=0)
    assert CalendarYear.objects.get(year=2026).source == CalendarSource.PACKAGE
    assert CalendarDay.objects.get(day=D(2026, 2, 14)).kind == CalendarDay.Kind.WORKDAY
    assert CalendarDay.objects.filter(day__year=2026, kind="holiday").count() == 33


def test_loading_a_year_the_package_lacks_says_what_to_do():
    with pytest.raises(CommandError, match="--file"):
        call_command("load_holidays", "2099", verbosity=0)


def test_a_notice_with_a_weekday_as_working_weekend_is_refused(tmp_path):
    notice = tmp_path / "bad.json"
    notice.write_text(
        json.dumps({"year": 2027, "holidays": [], "workdays": [{"name": "x", "day": "2027-02-10"}]})
    )
    with pytest.raises(CommandError, match="INVALID_HOLIDAY_NOTICE"):
        call_command("load_holidays", "--file", str(notice), verbosity=0)
