from pathlib import Path

from django.core.management.base import BaseCommand

from xinfang.platform.backups.platform_backup import backup


class Command(BaseCommand):
    help = "Dump the whole platform (every office and the public schema) in pg_dump custom format."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="file to write (default .data/backups/)")

    def handle(self, *args, **options):
        self.stdout.write("dumping the database…")
        path = backup(options["out"])
        self.stdout.write(
            self.style.SUCCESS(f"backup written to {path} ({path.stat().st_size:,} bytes)")
        )
