from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinfang.platform.backups.office_move import export_office
from xinfang.platform.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Write one office (its schema, its registry rows, the handoffs, supervision orders and "
        "terminations of its matters) to an archive that import_office reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="the office's division code, e.g. 330106")
        parser.add_argument("--out", type=Path, help="archive to write (default office-CODE.tar)")

    def handle(self, *args, **options):
        path = options["out"] or Path(f"office-{options['code']}.tar")
        try:
            report = export_office(options["code"], path)
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(f"{report.summary()} → {path}"))
