"""Deadlines: calendar days rolled past non-working days; hearings stop the clock; daily scan."""

import datetime
from functools import partial

import pytest
from django.utils import timezone

from tests.cases.support import petition_at
from xinfang.platform import celery as platform_celery
from xinfang.platform.cases import deadlines, services, tasks
from xinfang.platform.cases.models import Holiday, OfficeSettings, Petition, PetitionEvent
from xinfang.platform.celery import app
from xinfang.platform.errors import ValidationError

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 9, 28)  # the week before 国庆节


def test_a_deadline_on_a_holiday_rolls_to_the_next_working_day(in_office):
    with in_office("xihu"):
        Holiday.objects.bulk_create(
            [Holiday(day=datetime.date(2026, 10, d), name="国庆节") for d in range(1, 8)]
        )
        OfficeSettings.objects.update_or_create(
            pk=1, defaults={"working_weekends": [datetime.date(2026, 10, 10)]}
        )
        calendar = deadlines.OfficeCalendar.load()
    # 1–7 Oct are holidays; 10 Oct is a working Saturday (调休); 11 Oct is a Sunday.
    assert calendar.due(MONDAY, 2) == datetime.date(2026, 9, 30)
    assert calendar.due(MONDAY, 3) == datetime.date(2026, 10, 8)  # 1 Oct → after the holiday
    assert calendar.due(MONDAY, 12) == datetime.date(2026, 10, 10)  # the working Saturday
    assert calendar.due(MONDAY, 13) == datetime.date(2026, 10, 12)  # Sunday → Monday


def test_limits_come_from_the_offices_settings(in_office):
    with in_office("yuhang"):
        OfficeSettings.objects.update_or_create(pk=1, defaults={"handling_days": 30})
        calendar = deadlines.OfficeCalendar.load()
    assert deadlines.handling_due(calendar, start=MONDAY) == calendar.roll(
        MONDAY + datetime.timedelta(days=30)
    )


def test_time_in_a_hearing_does_not_count(xihu_staff, in_office):
    today = timezone.localdate()
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=xihu_staff)
        Petition.objects.filter(pk=petition.pk).update(
            accepted_at=timezone.now() - datetime.timedelta(days=20)
        )
        due = petition.handling_due
        in_hearing = services.petition_start_hearing(
            petition=petition, officer=xihu_staff["handler"], on=today - datetime.timedelta(days=15)
        )
        assert in_hearing.next_due is None  # the clock stops
        ended = services.petition_end_hearing(
            petition=petition, officer=xihu_staff["handler"], on=today - datetime.timedelta(days=3)
        )
        calendar = deadlines.OfficeCalendar.load()
        assert ended.hearings.get().paused_days == 12
    assert ended.handling_due == calendar.due(due, 12)
    assert ended.next_due == ended.handling_due


@pytest.mark.parametrize(
    ("started", "ended", "error"),
    [
        (-30, None, "DATE_OUT_OF_RANGE"),  # before the petition was accepted (2000-01-01 …)
        (1, None, "DATE_IN_FUTURE"),
        (-5, -8, "DATE_OUT_OF_RANGE"),  # ends before it began
        (-5, 2, "DATE_IN_FUTURE"),  # ends in the future: the deadline cannot be pushed ahead
    ],
)
def test_a_hearing_lies_inside_the_handling_period_and_not_ahead(
    xihu_staff, in_office, started, ended, error
):
    today = timezone.localdate()
    with in_office("xihu"):
        petition = petition_at("in_handling", officers=xihu_staff)
        Petition.objects.filter(pk=petition.pk).update(
            accepted_at=timezone.now() - datetime.timedelta(days=20)
        )
        start = partial(
            services.petition_start_hearing, petition=petition, officer=xihu_staff["handler"]
        )
        with pytest.raises(ValidationError) as raised:
            start(on=today + datetime.timedelta(days=started))
            services.petition_end_hearing(
                petition=petition,
                officer=xihu_staff["handler"],
                on=today + datetime.timedelta(days=ended),
            )
        assert (raised.value.code, raised.value.field) == (error, "on")
        assert Petition.objects.get(pk=petition.pk).handling_due == petition.handling_due


def test_due_state_shows_due_soon_and_overdue():
    today = datetime.date(2026, 5, 10)
    assert deadlines.due_state(None, today=today) == "none"
    assert deadlines.due_state(today + datetime.timedelta(days=10), today=today) == "on_time"
    assert deadlines.due_state(today + datetime.timedelta(days=3), today=today) == "due_soon"
    assert deadlines.due_state(today - datetime.timedelta(days=1), today=today) == "overdue"


def test_the_overdue_scan_records_one_event_per_petition_and_due_date(xihu_staff, in_office):
    with in_office("xihu"):
        late = petition_at("routed", officers=xihu_staff)
        on_time = petition_at("routed", officers=xihu_staff)
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Petition.objects.filter(pk=late.pk).update(next_due=yesterday)
        first = services.record_overdue()
        again = services.record_overdue()
        events = PetitionEvent.objects.filter(kind="overdue")
        assert first >= 1 and again == 0
        assert list(events.filter(petition=late).values_list("data", flat=True)) == [
            {"step": "accept", "due": yesterday.isoformat(), "days_late": 1}
        ]
        assert not events.filter(petition=on_time).exists()


def test_the_daily_dispatcher_scans_every_office_in_chunks(
    xihu_staff, in_office, offices, monkeypatch
):
    """Runs the tasks eagerly (in this process, inside the test's transaction)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setattr(platform_celery, "CHUNK_SIZE", 4)
    with in_office("xihu"):
        late = petition_at("registered", officers=xihu_staff)
        Petition.objects.filter(pk=late.pk).update(
            next_due=timezone.localdate() - datetime.timedelta(days=2)
        )
    chunks = tasks.dispatch_overdue_scan()
    assert chunks == 2  # six offices, four per chunk
    with in_office("xihu"):
        assert PetitionEvent.objects.filter(petition=late, kind="overdue").count() == 1
