from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xinfang.platform.backups.platform_backup import restore


class Command(BaseCommand):
    help = (
        "Restore a backup_platform dump over this database (one transaction), then rebuild the "
        "search index from it. Stop the web server, worker and beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument("--no-index", action="store_true", help="skip the index rebuild")

    def handle(self, *args, **options):
        if not options["backup"].is_file():
            raise CommandError(f"no backup at {options['backup']}")
        self.stdout.write(f"restoring {options['backup']}…")
        try:
            restore(options["backup"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("database restored"))
        if not options["no_index"]:
            call_command("search_index", "rebuild", stdout=self.stdout, stderr=self.stderr)
