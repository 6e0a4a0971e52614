"""The nation's calendar of statutory holidays and 调休 working weekends (public schema).

Every office reads the same rows; an office's own `cases.Holiday` rows and working weekends are
added on top. A year is usable only once it is loaded (`CalendarYear`): a deadline that falls in a
year with no row fails loudly instead of running through 春节 or 国庆.
"""

from django.db import models


class CalendarSource(models.TextChoices):
    PACKAGE = "package", "chinese-calendar 软件包 (国务院通知)"
    NOTICE = "notice", "国务院办公厅通知 (file)"
    STATUTORY = "statutory", "法定节日 only, provisional until the notice is loaded"


class CalendarYear(models.Model):
    """A year the national calendar covers, and where its days came from."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField(max_length=10, choices=CalendarSource.choices)
    detail = models.CharField(max_length=200, blank=True, help_text="version or notice number")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} ({self.source})"

    @property
    def provisional(self) -> bool:
        return self.source == CalendarSource.STATUTORY


class CalendarDay(models.Model):
    """A national holiday (放假) or a weekend that is a working day (调休上班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假 holiday"
        WORKDAY = "workday", "调休上班 working weekend"

    day = models.DateField(primary_key=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.name}"
