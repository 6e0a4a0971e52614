"""Statutory deadlines (信访工作条例): calendar days, rolled past non-working days.

A limit counts calendar days from its start. When the last day falls on a non-working day the
deadline is the next working day. Non-working days are the nation's (`holidays` app: statutory
holidays, with 调休 working weekends) plus the office's own additions (its `Holiday` rows and
working weekends). A day in a year the national calendar has not loaded raises
`CalendarNotCovered` rather than silently running through 春节 or 国庆. Days spent in a hearing
(听证) do not count: when a hearing ends, the running deadline moves by the hearing's length and
is rolled again.
"""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.utils import timezone

from xinfang.platform.cases.models import Holiday, OfficeSettings, Petition, Status
from xinfang.platform.errors import ErrorCode, ServiceError
from xinfang.platform.holidays.models import CalendarDay, CalendarYear

DUE_SOON_DAYS = 3


class CalendarNotCovered(ServiceError):
    code = ErrorCode.HOLIDAY_CALENDAR_NOT_COVERED


@dataclass(frozen=True)
class OfficeCalendar:
    """The office's limits and non-working days, read once per service call."""

    settings: OfficeSettings
    holidays: frozenset[datetime.date]
    working_weekends: frozenset[datetime.date]
    covered_years: frozenset[int]

    @classmethod
    def load(cls) -> "OfficeCalendar":
        """The settings row with the national and office days from a year back on, in one
        round trip."""
        since = timezone.localdate() - datetime.timedelta(days=400)
        national = CalendarDay.objects.filter(day__gte=since)
        rows = OfficeSettings.objects.filter(pk=1).annotate(
            office_holidays=ArraySubquery(Holiday.objects.filter(day__gte=since).values("day")),
            national_holidays=ArraySubquery(
                national.filter(kind=CalendarDay.Kind.HOLIDAY).values("day")
            ),
            national_workdays=ArraySubquery(
                national.filter(kind=CalendarDay.Kind.WORKDAY).values("day")
            ),
            covered_years=ArraySubquery(CalendarYear.objects.values("year")),
        )
        row = rows.first()
        if row is None:
            OfficeSettings.current()
            row = rows.first()
        return cls(
            settings=row,
            holidays=frozenset([*row.national_holidays, *row.office_holidays]),
            working_weekends=frozenset([*row.national_workdays, *row.working_weekends]),
            covered_years=frozenset(row.covered_years),
        )

    def is_working_day(self, day: datetime.date) -> bool:
        if day.year not in self.covered_years:
            raise CalendarNotCovered(
                f"国家节假日安排尚未载入 {day.year} 年，无法计算期限 "
                f"(the national holiday calendar does not cover {day.year}: "
                "run `manage.py load_holidays`)",
                year=day.year,
            )
        if day in self.holidays:
            return False
        return day.weekday() < 5 or day in self.working_weekends

    def roll(self, day: datetime.date) -> datetime.date:
        """The day itself if it is a working day, else the next working day."""
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def due(self, start: datetime.date, days: int) -> datetime.date:
        """`days` calendar days after `start`, rolled to a working day."""
        return self.roll(start + datetime.timedelta(days=days))


def route_due(calendar: OfficeCalendar, *, start: datetime.date) -> datetime.date:
    return calendar.due(start, calendar.settings.route_days)


def accept_due(calendar: OfficeCalendar, *, start: datetime.date) -> datetime.date:
    return calendar.due(start, calendar.settings.accept_days)


def handling_due(calendar: OfficeCalendar, *, start: datetime.date) -> datetime.date:
    return calendar.due(start, calendar.settings.handling_days)


def extended_due(calendar: OfficeCalendar, *, due: datetime.date, days: int) -> datetime.date:
    return calendar.due(due, days)


def after_hearing(calendar: OfficeCalendar, *, due: datetime.date, paused_days: int):
    """The handling deadline once a hearing of `paused_days` days has ended."""
    return calendar.due(due, paused_days)


# What the office must do next in each state, and which stored deadline applies.
NEXT_STEP = {
    Status.REGISTERED: ("route", "route_due"),
    Status.ROUTED: ("accept", "accept_due"),
    Status.ACCEPTED: ("reply", "handling_due"),
    Status.IN_HANDLING: ("reply", "handling_due"),
}


def next_due(petition: Petition) -> datetime.date | None:
    """The deadline that applies now (none in a hearing, none once the office has answered)."""
    step = NEXT_STEP.get(petition.status)
    return getattr(petition, step[1]) if step else None


def next_step(petition: Petition) -> str | None:
    step = NEXT_STEP.get(petition.status)
    return step[0] if step else None


def due_state(due: datetime.date | None, *, today: datetime.date | None = None) -> str:
    """`none`, `on_time`, `due_soon` (within DUE_SOON_DAYS) or `overdue`."""
    if due is None:
        return "none"
    today = today or timezone.localdate()
    if due < today:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "on_time"
