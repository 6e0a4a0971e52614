"""Provision a hierarchy of offices from a CSV of divisions: code,name,level,parent,host.

An empty level or parent is derived from the division code (the parent is the office of the
nearest division above: `divisions.parent_code_of`). Parents are created before children whatever
the file order. Each office is its own transaction,
so an interrupted run keeps what it finished; running it again skips offices that exist.
"""

import csv
import os
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from xinfang.tenants.bulk_provisioning import by_level, provision_offices
from xinfang.tenants.divisions import level_of_code, parent_code_of
from xinfang.tenants.models import Office
from xinfang.tenants.provisioning import OfficeSpec


def read_specs(path: str) -> list[OfficeSpec]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    missing = {"code", "name", "level", "parent", "host"} - set(rows[0] if rows else {})
    if missing:
        raise CommandError(f"{path}: missing columns {', '.join(sorted(missing))}")
    return by_level([_spec(row) for row in rows])


def _spec(row: dict) -> OfficeSpec:
    code = row["code"].strip()
    derived = code.isdigit() and len(code) == 6
    return OfficeSpec(
        code=code,
        name=row["name"].strip(),
        level=row["level"].strip() or (level_of_code(code) if derived else ""),
        parent_code=row["parent"].strip() or (parent_code_of(code) if derived else None),
        host=row["host"].strip(),
    )


def write_admins(path: str, admins: list[tuple[OfficeSpec, str]]) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for spec, password in admins:
            writer.writerow([spec.code, spec.host, "admin", password])


def trend(timings: list[float]) -> str:
    """Median provisioning time per tenth of the run: does it stay flat as the catalogue grows?"""
    if len(timings) < 10:
        return ""
    tenth = len(timings) // 10
    medians = [statistics.median(timings[i * tenth : (i + 1) * tenth]) for i in range(10)]
    return "; median ms per office by tenth: " + " ".join(f"{m:.0f}" for m in medians)


class Command(BaseCommand):
    help = "Provision offices from a CSV file (code,name,level,parent,host), resumably."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--strategy", choices=["template", "clone", "migrate"])
        parser.add_argument(
            "--admins",
            metavar="CSV",
            help="give every office created an officer `admin` with a generated password, "
            "written to this file (code,host,username,password; readable by its owner only)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            help="offices built at once (default XINFANG_PROVISIONING_PROCESSES; if 0, two per "
            "core, one per core during a first load)",
        )

    def handle(self, *args, path, strategy=None, admins=None, processes=None, **options):
        specs = read_specs(path)
        existing = set(Office.objects.offices().values_list("code", flat=True))
        todo = [spec for spec in specs if spec.code not in existing]
        started = time.perf_counter()
        with Progress(disable=options["verbosity"] == 0) as progress:
            bar = progress.add_task("provisioning offices", total=len(specs))
            progress.advance(bar, len(specs) - len(todo))
            built = provision_offices(
                todo,
                strategy=strategy,
                with_admins=bool(admins),
                processes=processes,
                progress=lambda n: progress.advance(bar, n),
            )
        created = [b for b in built if not b.error]
        failures = [f"{b.spec.code} {b.spec.name}: {b.error}" for b in built if b.error]
        if admins:
            write_admins(admins, [(b.spec, b.admin_password) for b in created])
        for failure in failures:
            self.stderr.write(failure)
        summary = (
            f"{len(created)} created, {len(specs) - len(todo)} skipped, {len(failures)} failed"
            f" in {time.perf_counter() - started:.0f} s" + trend([b.ms for b in created])
        )
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
