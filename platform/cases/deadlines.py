"""Statutory deadlines (信访工作条例): calendar days, rolled past the office's non-working days.

A limit counts calendar days from its start. When the last day falls on a non-working day (a
weekend that is not a working weekend 调休, or a day in the office's `Holiday` table) the deadline
is the next working day. Days spent in a hearing (听证) do not count: when a hearing ends, the
running deadline moves by the hearing's length and is rolled again.
"""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.utils import timezone

from xinfang.platform.cases.models import Holiday, OfficeSettings, Petition, Status

DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class OfficeCalendar:
    """The office's limits and non-working days, read once per service call."""

    settings: OfficeSettings
    holidays: frozenset[datetime.date]
    working_weekends: frozenset[datetime.date]

    @classmethod
    def load(cls) -> "OfficeCalendar":
        """The settings row and the holidays from a year back on, in one round trip."""
        since = timezone.localdate() - datetime.timedelta(days=400)
        days = Holiday.objects.filter(day__gte=since).values("day")
        rows = list(OfficeSettings.objects.filter(pk=1).annotate(holiday_days=ArraySubquery(days)))
        office_settings = rows[0] if rows else OfficeSettings.current()
        holidays = (
            office_settings.holiday_days if rows else list(days.values_list("day", flat=True))
        )
        return cls(
            settings=office_settings,
            holidays=frozenset(holidays),
            working_weekends=frozenset(office_settings.working_weekends),
        )

    def is_working_day(self, day: datetime.date) -> bool:
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
