"""Bring every office schema to the migration state on disk, fast at national scale.

    manage.py migrate_offices [--batch-size 20] [--processes N] [--verify]

Schemas already current are skipped without being opened; the others are migrated in parallel
batches, several schemas per transaction. Interrupt it and run it again: finished batches are
recorded and skipped. A failing office is reported and the rest go on; the exit code says so.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from xinfang.tenants.models import Office
from xinfang.tenants.schema_migrations import migrate_offices


class Command(BaseCommand):
    help = "Migrate every office schema (skips current ones; parallel batches; resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=20, help="schemas per transaction")
        parser.add_argument("--processes", type=int, help="parallel processes (default: setting)")
        parser.add_argument(
            "--verify", action="store_true", help="reread every schema's applied migrations"
        )

    def handle(self, *args, batch_size, processes, verify, **options):
        started = time.monotonic()
        total = Office.objects.exclude(kind=Office.Kind.PLATFORM).count()
        with Progress(disable=options["verbosity"] == 0) as progress:
            bar = progress.add_task("migrating office schemas", total=total)
            outcome = migrate_offices(
                batch_size=batch_size,
                processes=processes,
                verify=verify,
                progress=lambda n: progress.advance(bar, n),
            )
        for schema, error in sorted(outcome.failed.items()):
            self.stderr.write(f"{schema}: {error}")
        self.stdout.write(
            f"{len(outcome.current)} current, {len(outcome.migrated)} migrated, "
            f"{len(outcome.failed)} failed in {time.monotonic() - started:.1f} s"
        )
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} office schema(s) failed to migrate")
