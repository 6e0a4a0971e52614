from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "xinfang.platform.holidays"
    label = "holidays"
    verbose_name = "national holiday calendar (节假日)"
