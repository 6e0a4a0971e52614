"""A release at national scale: every office of the country, then the migration runner.

Run with `make perf` (or `XINFANG_INSTANCE=perf .venv/bin/pytest tests/perf/test_migration_perf.py
-s -p no:cacheprovider --override-ini addopts=`). `XINFANG_BENCH_NATIONAL_LIMIT` bounds the number
of offices (default: all ≈ 3,200 of the cpca division list). Prints provisioning time per office by
tenth of the run (does it stay flat as the catalogue grows?), `migrate_offices` with nothing
pending and with one new nullable column on every schema, and django-tenants' `migrate_schemas`
per schema on a sample of 10 for comparison.
"""

import time

from django.core.management import call_command
from django.db import connection

from tests.perf.offices import machine_load
from tests.tenants.test_schema_migrations import (
    drop_probe,
    has_probe_column,
    loader_with_probe,
    schemas,
)
from xinfang.tenants.models import SchemaState
from xinfang.tenants.schema_migrations import disk_digest, migrate_offices


def test_a_release_over_every_office_of_the_country(committed, national_offices):
    count = len(schemas())
    try:
        t = time.perf_counter()
        idle = migrate_offices()
        print(
            f"\n[migrate_offices] nothing pending over {count} schemas: "
            f"{time.perf_counter() - t:.2f} s ({len(idle.current)} current; {machine_load()})"
        )
        t = time.perf_counter()
        release = migrate_offices(loader=loader_with_probe())
        elapsed = time.perf_counter() - t
        print(
            f"[migrate_offices] one new nullable column on {len(release.migrated)} schemas: "
            f"{elapsed:.1f} s ({elapsed / max(len(release.migrated), 1) * 1000:.1f} ms per "
            f"schema), {len(release.failed)} failed ({machine_load()})"
        )
        assert release.failed == {} and len(release.migrated) == count
        assert has_probe_column(national_offices[-1])

        sample = national_offices[:10]
        t = time.perf_counter()
        for schema in sample:
            call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
        print(
            f"[migrate_schemas] django-tenants, nothing pending, per schema at {count} "
            f"schemas: {(time.perf_counter() - t) / len(sample) * 1000:.0f} ms ({machine_load()})"
        )
    finally:
        connection.set_schema_to_public()
        drop_probe(schemas())
        SchemaState.objects.update(digest=disk_digest())
