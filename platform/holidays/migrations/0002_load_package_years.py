"""Every year the installed chinese-calendar covers, so a new database never starts empty."""

from django.db import migrations


def load(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    CalendarDay = apps.get_model("holidays", "CalendarDay")
    CalendarYear = apps.get_model("holidays", "CalendarYear")
    constants = chinese_calendar.constants
    CalendarDay.objects.bulk_create(
        [
            *(
                CalendarDay(day=d, kind="holiday", name=Holiday(v).chinese)
                for d, v in constants.holidays.items()
            ),
            *(
                CalendarDay(day=d, kind="workday", name=Holiday(v).chinese)
                for d, v in constants.workdays.items()
            ),
        ],
        ignore_conflicts=True,
    )
    years = range(min(constants.holidays).year, max(constants.holidays).year + 1)
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(year=y, source="package", detail=f"chinese-calendar {chinese_calendar.__version__}")
            for y in years
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("holidays", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
