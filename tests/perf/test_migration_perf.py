"""A release at national scale: every office of the country, then the migration runner.

Run with `make perf` (or `XINFANG_INSTANCE=perf .venv/bin/pytest tests/perf/test_migration_perf.py
-s -p no:cacheprovider --override-ini addopts=`). `XINFANG_BENCH_NATIONAL_LIMIT` bounds the number
of offices (default: all ≈ 3,200 of the cpca division list). Prints provisioning time per office by
tenth of the run (does it stay flat as the catalogue grows?), `migrate_offices` with nothing
pending and with one new nullable column on every schema, and django-tenants' `migrate_schemas`
per schema on a sample of 10 for comparison; then a migration that creates a model (a table, a
foreign key and its index, content types and permissions), profiled on one batch of 20 schemas
first (where the time of a schema goes), then on every schema.
"""

import cProfile
import io
import pstats
import time

from django.core.management import call_command
from django.db import connection

from tests.perf.offices import machine_load
from tests.tenants.test_schema_migrations import (
    drop_probe,
    drop_probe_model,
    has_probe_column,
    loader_with_probe,
    new_model_operation,
    schemas,
)
from xinfang.tenants.models import SchemaState
from xinfang.tenants.schema_migrations import (
    _migrate_batch,
    disk_digest,
    migrate_offices,
    pending_schemas,
)


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


def test_a_release_that_creates_a_model_over_every_office(committed, national_offices):
    count = len(schemas())
    loader = loader_with_probe(new_model_operation())
    try:
        plan, group = next(iter(pending_schemas(loader)[0].items()))
        batch = group[:20]
        profile = cProfile.Profile()
        t = time.perf_counter()
        profile.runcall(_migrate_batch, loader, plan, batch, disk_digest())
        elapsed = time.perf_counter() - t
        report = io.StringIO()
        pstats.Stats(profile, stream=report).sort_stats("cumulative").print_stats(25)
        print(
            f"\n[migrate_offices] a new model, one batch of {len(batch)} schemas at {count} "
            f"schemas, one process: {elapsed:.1f} s ({elapsed / len(batch) * 1000:.0f} ms per "
            f"schema; {machine_load()})\n{report.getvalue()}"
        )
        t = time.perf_counter()
        release = migrate_offices(loader=loader)
        elapsed = time.perf_counter() - t
        print(
            f"[migrate_offices] a new model on {len(release.migrated)} schemas: {elapsed:.1f} s "
            f"({elapsed / max(len(release.migrated), 1) * 1000:.1f} ms per schema), "
            f"{len(release.failed)} failed ({machine_load()})"
        )
        assert release.failed == {} and len(release.migrated) + len(batch) == count
    finally:
        connection.set_schema_to_public()
        drop_probe_model(schemas())
        SchemaState.objects.update(digest=disk_digest())
