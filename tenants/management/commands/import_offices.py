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
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tenants.utils import tenant_context
from rich.progress import Progress

from xinfang.platform.accounts.models import Role
from xinfang.platform.accounts.services import generated_password, officer_create
from xinfang.platform.errors import ServiceError
from xinfang.tenants.divisions import Level, level_of_code, parent_code_of
from xinfang.tenants.models import Office
from xinfang.tenants.provisioning import OfficeSpec, ensure_template_schema, provision_office


def read_specs(path: str) -> list[OfficeSpec]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    missing = {"code", "name", "level", "parent", "host"} - set(rows[0] if rows else {})
    if missing:
        raise CommandError(f"{path}: missing columns {', '.join(sorted(missing))}")
    specs = [_spec(row) for row in rows]
    rank = {level: i for i, level in enumerate(Level.ORDER)}
    return sorted(specs, key=lambda s: (rank.get(s.level, len(rank)), s.code))


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


def first_admin(office) -> str:
    """An officer `admin` (role admin) in the new office; returns the generated password."""
    password = generated_password()
    with tenant_context(office):
        officer_create(by=None, username="admin", password=password, roles=[Role.ADMIN])
    return password


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

    def handle(self, *args, path, strategy=None, admins=None, **options):
        specs = read_specs(path)
        existing = set(Office.objects.offices().values_list("code", flat=True))
        ensure_template_schema()
        outcome: Counter[str] = Counter()
        failures: list[str] = []
        first_admins: list[tuple[OfficeSpec, str]] = []
        timings: list[float] = []
        started = time.perf_counter()
        with Progress(disable=options["verbosity"] == 0) as progress:
            bar = progress.add_task("provisioning offices", total=len(specs))
            for spec in specs:
                if spec.code in existing:
                    outcome["skipped"] += 1
                else:
                    try:
                        t = time.perf_counter()
                        office = provision_office(spec, strategy=strategy)
                        timings.append((time.perf_counter() - t) * 1000)
                        # a backend that built thousands of schemas caches all their catalogue
                        connection.recycle_if_worn()
                        if admins:
                            first_admins.append((spec, first_admin(office)))
                        outcome["created"] += 1
                    except ServiceError as exc:
                        outcome["failed"] += 1
                        failures.append(f"{spec.code} {spec.name}: {exc.code}: {exc.message}")
                progress.advance(bar)
        if admins:
            write_admins(admins, first_admins)
        for failure in failures:
            self.stderr.write(failure)
        summary = ", ".join(f"{outcome[k]} {k}" for k in ("created", "skipped", "failed"))
        summary += f" in {time.perf_counter() - started:.0f} s" + trend(timings)
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
