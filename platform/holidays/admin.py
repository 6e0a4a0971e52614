from django.contrib import admin

from xinfang.platform.admin_base import ReadOnlyAdmin
from xinfang.platform.holidays.models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """Years are loaded by `manage.py load_holidays`, never typed in."""

    list_display = ["year", "source", "detail", "loaded_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "day"
