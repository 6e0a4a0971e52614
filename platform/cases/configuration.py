"""What an office admin configures for its petitions: the time limits and collective-alert
thresholds (`OfficeSettings`), and the office's own calendar days on top of the national calendar
(its `Holiday` rows and working weekends). Deadlines computed from now on use them; deadlines
already stored are not recomputed. Every change is audited (`SettingsChange`: who, when, before and
after) in its own transaction."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.cases.models import (
    Holiday,
    OfficeSettings,
    SettingsChange,
    SettingsChangeKind,
)
from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.platform.holidays.models import CalendarDay, CalendarSource, CalendarYear

# Each limit's bounds (inclusive). The Regulations set the longest an office may take (信访工作条例:
# 15 days to route and to accept, 60 to handle, one extension of 30, 30 for a review opinion), and
# the shortest time a petitioner has to ask for review (30 days): an office may be quicker, never
# slower, and never shorten the petitioner's right.
SETTING_BOUNDS: dict[str, tuple[int, int]] = {
    "route_days": (1, 15),
    "accept_days": (1, 15),
    "handling_days": (1, 60),
    "max_extension_days": (0, 30),
    "review_request_days": (30, 366),
    "review_days": (1, 30),
    "received_max_days_back": (0, 366),
    "assign_max_days": (1, 366),
    "order_max_days": (1, 366),
    "collective_min_people": (2, 1000),
    "collective_window_days": (1, 366),
}


def camel(name: str) -> str:
    """`handling_days` → `handlingDays`, the name the API gives a setting."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def office_settings_update(*, by: Officer, values: Mapping[str, int]) -> OfficeSettings:
    """An admin changes some of the office's limits (`values` by field name); each stays within
    its statutory bounds (INVALID_INPUT naming `settings.<field>`)."""
    ensure_role(by, Role.ADMIN)
    for name, value in values.items():
        if name not in SETTING_BOUNDS:
            raise ValidationError(f"unknown setting {name}", code=ErrorCode.INVALID_INPUT)
        low, high = SETTING_BOUNDS[name]
        if not low <= value <= high:
            raise ValidationError(
                f"{name} must be between {low} and {high} (应在 {low} 至 {high} 之间)",
                code=ErrorCode.INVALID_INPUT,
                field=f"settings.{camel(name)}",
            )
    with transaction.atomic():
        OfficeSettings.current()
        settings = OfficeSettings.objects.select_for_update().get(pk=1)
        changed = {name: v for name, v in values.items() if getattr(settings, name) != v}
        SettingsChange.objects.bulk_create(
            SettingsChange(
                kind=SettingsChangeKind.LIMIT,
                setting=name,
                before=getattr(settings, name),
                after=value,
                by=by,
            )
            for name, value in changed.items()
        )
        for name, value in changed.items():
            setattr(settings, name, value)
        if changed:
            settings.save(update_fields=list(changed))
    return settings


class DayKind:
    HOLIDAY = "holiday"
    WORKDAY = "workday"


def office_day_set(*, by: Officer, day: datetime.date, kind: str | None, name: str = "") -> None:
    """An admin makes `day` a holiday of the office (e.g. a local festival), a working weekend
    (`workday`: only a Saturday or Sunday), or, with `kind=None`, removes the office's own entry.
    The national calendar itself is never changed here."""
    ensure_role(by, Role.ADMIN)
    if kind not in (DayKind.HOLIDAY, DayKind.WORKDAY, None):
        raise ValidationError(f"unknown kind {kind}", code=ErrorCode.INVALID_CHOICE, field="kind")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise ValidationError(
            "only a Saturday or Sunday can be made a working day (只有周末可设为调休上班日)",
            code=ErrorCode.INVALID_INPUT,
            field="day",
        )
    if len(name) > Holiday._meta.get_field("name").max_length:
        raise ValidationError("the name is too long", code=ErrorCode.TOO_LONG, field="name")
    with transaction.atomic():
        OfficeSettings.current()
        settings = OfficeSettings.objects.select_for_update().get(pk=1)
        before = _office_day(settings, day)
        Holiday.objects.filter(day=day).delete()
        weekends = [d for d in settings.working_weekends if d != day]
        if kind == DayKind.HOLIDAY:
            Holiday.objects.create(day=day, name=name.strip())
        elif kind == DayKind.WORKDAY:
            weekends.append(day)
        if weekends != settings.working_weekends:
            settings.working_weekends = sorted(weekends)
            settings.save(update_fields=["working_weekends"])
        after = _office_day(settings, day)
        if after != before:
            SettingsChange.objects.create(
                kind=SettingsChangeKind.DAY, day=day, before=before, after=after, by=by
            )


def _office_day(settings: OfficeSettings, day: datetime.date) -> dict | None:
    """The office's own entry for `day` as the audit records it, or None."""
    holiday = Holiday.objects.filter(day=day).first()
    if holiday is not None:
        return {"kind": DayKind.HOLIDAY, "name": holiday.name}
    if day in settings.working_weekends:
        return {"kind": DayKind.WORKDAY, "name": ""}
    return None


def settings_changes(*, viewer: Officer):
    """The office's configuration changes, newest first: an admin's to read."""
    ensure_role(viewer, Role.ADMIN)
    return SettingsChange.objects.select_related("by")


@dataclass(frozen=True)
class CalendarEntry:
    day: datetime.date
    kind: str  # DayKind
    name: str
    source: str  # "national" or "office"


@dataclass(frozen=True)
class OfficeCalendarYear:
    year: int
    covered: bool  # the national calendar has this year: deadlines in it can be computed
    provisional: bool  # only the statutory festivals, until the State Council's notice is loaded
    days: list[CalendarEntry]


def office_calendar(*, year: int) -> OfficeCalendarYear:
    """The year's non-working days and working weekends: the nation's and this office's, by day."""
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:  # a date outside it cannot be built
        raise ValidationError(
            f"year {year} is out of range", code=ErrorCode.VALUE_OUT_OF_RANGE, field="year"
        )
    national_year = CalendarYear.objects.filter(year=year).first()
    days = [
        CalendarEntry(day=d.day, kind=d.kind, name=d.name, source="national")
        for d in CalendarDay.objects.filter(day__year=year)
    ]
    days += [
        CalendarEntry(day=h.day, kind=DayKind.HOLIDAY, name=h.name, source="office")
        for h in Holiday.objects.filter(day__year=year)
    ]
    days += [
        CalendarEntry(day=d, kind=DayKind.WORKDAY, name="", source="office")
        for d in OfficeSettings.current().working_weekends
        if d.year == year
    ]
    return OfficeCalendarYear(
        year=year,
        covered=national_year is not None,
        provisional=national_year is not None and national_year.source == CalendarSource.STATUTORY,
        days=sorted(days, key=lambda e: (e.day, e.source)),
    )
