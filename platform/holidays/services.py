"""Loading years into the national calendar. Commands, the beat task and the demo call these."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from xinfang.platform.holidays import sources
from xinfang.platform.holidays.models import CalendarDay, CalendarSource, CalendarYear

logger = logging.getLogger(__name__)

# Deadlines reach at most a few months ahead (60 days' handling, a 30-day extension, hearings):
# keep the calendar loaded this far beyond today.
HORIZON_DAYS = 400


def load_year(calendar: sources.YearCalendar) -> CalendarYear:
    """Replace the year's national days with `calendar`'s, wholly or not at all."""
    start, end = datetime.date(calendar.year, 1, 1), datetime.date(calendar.year, 12, 31)
    with transaction.atomic():
        CalendarDay.objects.filter(day__range=(start, end)).delete()
        CalendarDay.objects.bulk_create(
            [
                *(
                    CalendarDay(day=d, kind=CalendarDay.Kind.HOLIDAY, name=n)
                    for d, n in calendar.holidays.items()
                ),
                *(
                    CalendarDay(day=d, kind=CalendarDay.Kind.WORKDAY, name=n)
                    for d, n in calendar.workdays.items()
                ),
            ]
        )
        year, _ = CalendarYear.objects.update_or_create(
            year=calendar.year, defaults={"source": calendar.source, "detail": calendar.detail}
        )
    return year


def ensure_calendar(*, through: datetime.date | None = None) -> list[CalendarYear]:
    """Cover every year from this one to `through` (default: HORIZON_DAYS ahead).

    A missing year comes from the package when it covers it, else provisionally from the statute
    (logged as a warning: load the State Council notice when it is issued). A provisional year is
    replaced as soon as the installed package covers it. Returns the years it loaded.
    """
    today = timezone.localdate()
    through = through or today + datetime.timedelta(days=HORIZON_DAYS)
    loaded = {y.year: y for y in CalendarYear.objects.filter(year__lte=through.year)}
    changed = []
    for year in range(today.year, through.year + 1):
        current = loaded.get(year)
        if current is not None and not current.provisional:
            continue
        official = sources.from_package(year)
        if official is not None:
            changed.append(load_year(official))
        elif current is None:
            logger.warning(
                "national calendar: no notice for %s; loaded the statutory days provisionally "
                "(manage.py load_holidays --file <notice.json> once it is issued)",
                year,
            )
            changed.append(load_year(sources.statutory(year)))
    return changed


def load_package_years() -> list[CalendarYear]:
    """Every year the installed package covers that is missing or only provisional here."""
    official = set(
        CalendarYear.objects.exclude(source=CalendarSource.STATUTORY).values_list("year", flat=True)
    )
    return [
        load_year(calendar)
        for year in sources.package_years()
        if year not in official and (calendar := sources.from_package(year)) is not None
    ]
