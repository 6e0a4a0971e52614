"""Load years into the national holiday calendar.

manage.py load_holidays                    # package years, then this year to 400 days ahead
manage.py load_holidays 2027               # that year from the installed chinese-calendar
manage.py load_holidays --file 2027.json   # a State Council notice transcribed as JSON
manage.py load_holidays --statutory 2028   # the statutory days only, provisionally
"""

from django.core.management.base import BaseCommand, CommandError

from xinfang.platform.errors import ServiceError
from xinfang.platform.holidays import services, sources


class Command(BaseCommand):
    help = "Load China's statutory holidays and 调休 working weekends into the national calendar."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int)
        parser.add_argument("--file", help="a State Council notice transcribed as JSON")
        parser.add_argument(
            "--statutory", action="store_true", help="load YEARS from the statute alone"
        )

    def handle(self, *args, years, file=None, statutory=False, **options):
        try:
            if file:
                loaded = [services.load_year(sources.from_notice(file))]
            elif years:
                loaded = [services.load_year(self._year(year, statutory)) for year in years]
            else:
                loaded = [*services.load_package_years(), *services.ensure_calendar()]
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        for year in loaded:
            self.stdout.write(f"{year.year}: {year.get_source_display()} {year.detail}")
        self.stdout.write(self.style.SUCCESS(f"{len(loaded)} year(s) loaded"))

    @staticmethod
    def _year(year: int, statutory: bool) -> sources.YearCalendar:
        if statutory:
            return sources.statutory(year)
        calendar = sources.from_package(year)
        if calendar is None:
            covered = sources.package_years()
            raise CommandError(
                f"the installed chinese-calendar covers {covered.start}–{covered.stop - 1}, "
                f"not {year}: upgrade it, load the notice with --file, or use --statutory"
            )
        return calendar
