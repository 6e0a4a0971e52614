"""Import every office of the country from the real division list (cpca's adcodes table).

Run with `make perf` (or `XINFANG_INSTANCE=perf .venv/bin/pytest
tests/perf/test_national_import_perf.py -s -p no:cacheprovider --override-ini addopts=`): the
session's `national_offices` fixture runs one `import_offices` over the whole national file,
committed as in production, and prints its summary (created / skipped / failed, the time, the
median per office by tenth of the run) and what the catalogue's size costs a new process and a
fresh connection. `XINFANG_BENCH_NATIONAL_LIMIT` bounds the number of offices (default: all).
With `--reuse-db` a second session runs on the offices of the first (the import skips them all).
"""

import io
import time

from django.core.management import call_command
from django.db import connection

from tests.perf.conftest import NATIONAL_LIMIT
from tests.perf.offices import drop_offices, machine_load
from tests.support.divisions import divisions_csv, national_divisions
from xinfang.tenants import provisioning
from xinfang.tenants.models import Office


def test_every_office_of_the_country_imports_without_a_failure(committed, national_offices):
    codes = [row[0] for row in national_divisions()[: NATIONAL_LIMIT or None]]
    assert Office.objects.offices().filter(code__in=codes).count() == len(codes)


def test_the_last_tenth_again_in_a_new_process_at_full_size(committed, national_offices, tmp_path):
    """Side by side with the import's last tenth: the same offices, the same catalogue size, a
    process that has cached nothing (the template snapshot is read, not dumped again)."""
    rows = [r for r in national_divisions()[: NATIONAL_LIMIT or None] if r[2] == "county"]
    tenth = rows[-max(len(rows) // 10, 1) :]
    drop_offices([r[0] for r in tenth])
    connection.close()
    provisioning._dumps.clear()
    provisioning._template_current = False
    path = tmp_path / "tenth.csv"
    path.write_text(divisions_csv(tenth), encoding="utf-8")
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_offices", str(path), stdout=out, verbosity=0)
    print(
        f"\n[national import] the last {len(tenth)} county offices again, new process, "
        f"{Office.objects.offices().count()} offices: {out.getvalue().strip()} "
        f"({time.perf_counter() - started:.0f} s; {machine_load()})"
    )
