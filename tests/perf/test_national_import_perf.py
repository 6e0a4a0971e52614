"""Import every office of the country from the real division list (cpca's adcodes table).

Run with `make perf` (or `.venv/bin/pytest tests/perf/test_national_import_perf.py -s`): one
`import_offices` run over the whole national file, committed as in production, then dropped.
`XINFANG_BENCH_NATIONAL_LIMIT` bounds the number of offices (default: all of them).

Measured here (2 cores shared with seven other test runs): 3,216 offices in the file (31
province-level, 113 county-level units directly under one), 3,210 created, 6 skipped (the demo
offices), 0 failed, in 2,335 s (727 ms per office under that load).
"""

import io
import os
import re
import time

from django.core.management import call_command
from django.db import connection

from tests.support.divisions import divisions_csv, national_divisions
from xinfang.tenants.models import Office

LIMIT = int(os.environ.get("XINFANG_BENCH_NATIONAL_LIMIT", "0"))


def test_every_office_of_the_country_imports_without_a_failure(committed, tmp_path):
    rows = national_divisions()
    if LIMIT:
        rows = rows[:LIMIT]
    path = tmp_path / "national.csv"
    path.write_text(divisions_csv(rows), encoding="utf-8")
    before = set(Office.objects.offices().values_list("code", flat=True))
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        call_command("import_offices", str(path), stdout=out, stderr=err, verbosity=0)
        elapsed = time.perf_counter() - started
        created = int(re.search(r"(\d+) created", out.getvalue()).group(1))
        direct = sum(1 for r in rows if r[2] == "county" and r[3].endswith("0000"))
        print(
            f"\n[national import] {len(rows)} offices in the file ({direct} county-level units "
            f"directly under a province-level one): {out.getvalue().strip()} in {elapsed:.0f} s "
            f"({elapsed / max(created, 1) * 1000:.0f} ms per office)"
        )
        assert err.getvalue() == ""
        assert Office.objects.get(code="429004").ancestor_codes == ["420000"]
    finally:
        connection.close()
        _drop([r[0] for r in rows if r[0] not in before])


def _drop(codes: list[str]) -> None:
    """Children before parents (an office's parent is protected)."""
    for level in ("county", "city", "province"):
        offices = Office.objects.filter(code__in=codes, level=level)
        for schema in offices.values_list("schema_name", flat=True):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        offices.delete()
