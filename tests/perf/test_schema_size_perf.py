"""The size of an office schema, the figure a Citus deployment is sized from (docs/adr/0005).

Run with `make perf` (or `XINFANG_INSTANCE=perf .venv/bin/pytest tests/perf/test_schema_size_perf.py
-s -p no:cacheprovider --override-ini addopts=`). Prints the relations of one office schema, its
size empty, and its growth per petition registered through the service (`XINFANG_BENCH_SIZE_N`
petitions, default 500, with their petitioners, events and the office's indexes).
"""

import os

from django.db import connection
from django_tenants.utils import tenant_context

from tests import factories

COUNT = int(os.environ.get("XINFANG_BENCH_SIZE_N", "500"))


def schema_size(schema: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(sum(pg_total_relation_size(c.oid)) FILTER "
            "(WHERE c.relkind IN ('r', 'm')), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            [schema],
        )
        return cursor.fetchone()


def test_office_schema_size_empty_and_per_petition(committed, offices):
    office = offices["yinzhou"]
    relations, empty = schema_size(office.schema_name)
    with tenant_context(office):
        officer = factories.officer(username="bench-size")
        for _ in range(COUNT):
            factories.petition(officer)
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{office.schema_name}".cases_petition')
    _, full = schema_size(office.schema_name)
    print(
        f"\n[schema size] {relations} relations per office schema; empty {empty / 2**20:.1f} MB; "
        f"{(full - empty) / COUNT:.0f} bytes per petition over {COUNT} petitions"
    )
