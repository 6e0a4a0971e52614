"""A release at national scale: every office of the country, then the migration runner.

Run with `make perf` (or `XINFANG_INSTANCE=perf .venv/bin/pytest tests/perf/test_migration_perf.py
-s -p no:cacheprovider --override-ini addopts=`). `XINFANG_BENCH_NATIONAL_LIMIT` bounds the number
of offices (default: all ≈ 3,200 of the cpca division list). Prints provisioning time per office by
tenth of the run (does it stay flat as the catalogue grows?), `migrate_offices` with nothing
pending and with one new nullable column on every schema, and django-tenants' `migrate_schemas`
per schema on a sample of 10 for comparison.
"""

import os
import statistics
import time

from django.core.management import call_command
from django.db import connection

from tests.perf.test_provisioning_perf import drop_offices
from tests.support.divisions import national_divisions
from tests.tenants.test_schema_migrations import PROBE, has_probe_column, loader_with_probe
from xinfang.tenants.models import Office
from xinfang.tenants.provisioning import OfficeSpec, ensure_template_schema, provision_office
from xinfang.tenants.schema_migrations import migrate_offices

LIMIT = int(os.environ.get("XINFANG_BENCH_NATIONAL_LIMIT", "0"))


def test_a_release_over_every_office_of_the_country(committed):
    rows = national_divisions()[: LIMIT or None]
    before = set(Office.objects.offices().values_list("code", flat=True))
    new = [r for r in rows if r[0] not in before]
    ensure_template_schema()
    timings = []
    try:
        started = time.perf_counter()
        for code, name, level, parent, host in new:
            t = time.perf_counter()
            provision_office(OfficeSpec(code, name, level, parent or None, host))
            timings.append((time.perf_counter() - t) * 1000)
        total = time.perf_counter() - started
        tenth = max(len(timings) // 10, 1)
        by_tenth = [
            statistics.median(timings[i : i + tenth]) for i in range(0, len(timings), tenth)
        ]
        print(
            f"\n[provisioning] {len(new)} offices in {total:.0f} s; median ms per office by tenth: "
            + " ".join(f"{m:.0f}" for m in by_tenth[:10])
        )
        schemas = Office.objects.exclude(kind=Office.Kind.PLATFORM).count()

        t = time.perf_counter()
        idle = migrate_offices()
        print(
            f"[migrate_offices] nothing pending over {schemas} schemas: "
            f"{time.perf_counter() - t:.2f} s ({len(idle.current)} current)"
        )
        loader = loader_with_probe()
        t = time.perf_counter()
        release = migrate_offices(loader=loader)
        elapsed = time.perf_counter() - t
        print(
            f"[migrate_offices] one new nullable column on {len(release.migrated)} schemas: "
            f"{elapsed:.1f} s ({elapsed / max(len(release.migrated), 1) * 1000:.1f} ms per "
            f"schema), {len(release.failed)} failed"
        )
        assert release.failed == {} and len(release.migrated) == schemas
        assert has_probe_column(f"office_{new[-1][0]}")

        sample = [f"office_{r[0]}" for r in new[:10]]
        t = time.perf_counter()
        for schema in sample:
            call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
        print(
            f"[migrate_schemas] django-tenants, nothing pending, per schema at {schemas} "
            f"schemas: {(time.perf_counter() - t) / len(sample) * 1000:.0f} ms"
        )
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            for schema in Office.objects.exclude(kind=Office.Kind.PLATFORM).values_list(
                "schema_name", flat=True
            ):
                cursor.execute(
                    f'ALTER TABLE "{schema}".cases_petition DROP COLUMN IF EXISTS probe_note;'
                    f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
                    list(PROBE),
                )
        drop_offices([r[0] for r in new])
