"""Where a year of the national calendar comes from, best first.

1. the `chinese-calendar` package, which transcribes each year's State Council notice
   (国务院办公厅关于某年部分节假日安排的通知) and is released soon after it;
2. the notice itself, transcribed into a JSON file, for a year the installed package lacks;
3. the statutory days alone (《全国年节及纪念日放假办法》, 2024 revision, Arts 2 and 6): the
   holidays the law fixes, with 补假 for those on a weekend, but none of the notice's 调休. It is
   provisional: deadlines computed with it are never later than the notice's, and the notice or
   a newer package replaces it (`manage.py load_holidays`).
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar
from chinese_calendar.constants import Holiday as PackageHoliday
from lunardate import LunarDate

from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.platform.holidays.models import CalendarSource


@dataclass(frozen=True)
class YearCalendar:
    """One year's national holidays and working weekends, by day, with their names."""

    year: int
    source: str
    detail: str = ""
    holidays: dict[datetime.date, str] = field(default_factory=dict)
    workdays: dict[datetime.date, str] = field(default_factory=dict)


def package_years() -> range:
    """The years the installed chinese-calendar covers."""
    days = chinese_calendar.constants.holidays
    return range(min(days).year, max(days).year + 1)


def from_package(year: int) -> YearCalendar | None:
    """The year as the package has it, or None when the package does not cover it."""
    if year not in package_years():
        return None

    def named(days: dict) -> dict[datetime.date, str]:
        return {d: PackageHoliday(v).chinese for d, v in days.items() if d.year == year}

    return YearCalendar(
        year=year,
        source=CalendarSource.PACKAGE,
        detail=f"chinese-calendar {chinese_calendar.__version__}",
        holidays=named(chinese_calendar.constants.holidays),
        workdays=named(chinese_calendar.constants.workdays),
    )


def from_notice(path: str | Path) -> YearCalendar:
    """A notice transcribed as JSON::

    {"year": 2027, "notice": "国办发明电〔2026〕N号",
     "holidays": [{"name": "春节", "from": "2027-02-05", "to": "2027-02-12"}, ...],
     "workdays": [{"name": "春节", "day": "2027-02-14"}, ...]}
    """
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
        year = int(raw["year"])
        holidays: dict[datetime.date, str] = {}
        for item in raw["holidays"]:
            day = datetime.date.fromisoformat(item["from"])
            last = datetime.date.fromisoformat(item.get("to", item["from"]))
            while day <= last:
                holidays[day] = item["name"]
                day += datetime.timedelta(days=1)
        workdays = {
            datetime.date.fromisoformat(item["day"]): item["name"]
            for item in raw.get("workdays", [])
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            f"{path}: not a holiday notice file ({exc})", code=ErrorCode.INVALID_HOLIDAY_NOTICE
        ) from exc
    outside = sorted(d for d in [*holidays, *workdays] if d.year != year)
    if outside:
        raise ValidationError(
            f"{path}: {outside[0]} is not in {year}", code=ErrorCode.INVALID_HOLIDAY_NOTICE
        )
    weekday_workdays = sorted(d for d in workdays if d.weekday() < 5)
    if weekday_workdays:
        raise ValidationError(
            f"{path}: {weekday_workdays[0]} is a weekday, not a working weekend",
            code=ErrorCode.INVALID_HOLIDAY_NOTICE,
        )
    return YearCalendar(
        year=year,
        source=CalendarSource.NOTICE,
        detail=str(raw.get("notice", ""))[:200],
        holidays=holidays,
        workdays=workdays,
    )


def statutory(year: int) -> YearCalendar:
    """The days the law fixes for `year`, each on a weekend made up on the next free weekday."""
    new_year = LunarDate(year, 1, 1).to_solar_date()
    qingming = chinese_calendar.get_solar_terms(
        datetime.date(year, 4, 1), datetime.date(year, 4, 10)
    )
    fixed = [
        (datetime.date(year, 1, 1), "元旦"),
        *((new_year + datetime.timedelta(days=n), "春节") for n in (-1, 0, 1, 2)),
        *((day, "清明") for day, name in qingming if name == "清明"),
        (datetime.date(year, 5, 1), "劳动节"),
        (datetime.date(year, 5, 2), "劳动节"),
        (LunarDate(year, 5, 5).to_solar_date(), "端午"),
        (LunarDate(year, 8, 15).to_solar_date(), "中秋"),
        *((datetime.date(year, 10, d), "国庆节") for d in (1, 2, 3)),
    ]
    holidays = dict(fixed)
    for day, name in sorted(fixed):
        if day.weekday() >= 5:  # 补假: the next weekday that is not already a holiday
            makeup = day
            while makeup.weekday() >= 5 or makeup in holidays:
                makeup += datetime.timedelta(days=1)
            holidays[makeup] = f"{name}（补假）"
    return YearCalendar(
        year=year,
        source=CalendarSource.STATUTORY,
        detail="法定节日 (provisional: no 调休 until the notice is loaded)",
        holidays={d: n for d, n in holidays.items() if d.year == year},
    )
