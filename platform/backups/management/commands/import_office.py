from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinfang.platform.backups.office_move import import_office
from xinfang.platform.errors import ServiceError
from xinfang.search.client import UNAVAILABLE


class Command(BaseCommand):
    help = (
        "Bring an office archived by export_office into this database (migrated, its host names "
        "free), then index its petitions."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **options):
        from xinfang.search.indexing import reconcile
        from xinfang.tenants.models import Office

        try:
            report = import_office(options["archive"])
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
        try:
            indexed = reconcile(offices=[Office.objects.get(code=report.code)])
        except UNAVAILABLE:
            self.stderr.write("search is unavailable: run `manage.py search_index reconcile` later")
        else:
            self.stdout.write(f"indexed {indexed.indexed} petitions")
