"""Import every office of the country from the real division list (cpca's adcodes table).

Run with `make perf` (or `.venv/bin/pytest tests/perf/test_national_import_perf.py -s`): one
`import_offices` run over the whole national file, committed as in production, then dropped.
`XINFANG_BENCH_NATIONAL_LIMIT` bounds the number of offices (default: all of them).
"""

import io
import os
import re
import time

from django.core.management import call_command
from django.db import connection

from tests.perf.test_provisioning_perf import drop_offices
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
        drop_offices([r[0] for r in rows if r[0] not in before])
