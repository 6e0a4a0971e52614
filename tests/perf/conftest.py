"""Fixtures the benchmarks share."""

import io
import os
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tests.perf.offices import drop_offices, machine_load
from tests.support.divisions import divisions_csv, national_divisions
from xinfang.tenants import provisioning
from xinfang.tenants.bulk_provisioning import default_processes
from xinfang.tenants.models import Office

NATIONAL_LIMIT = int(os.environ.get("XINFANG_BENCH_NATIONAL_LIMIT", "0"))


@pytest.fixture(scope="session")
def national_offices(offices, django_db_blocker, tmp_path_factory):
    """Every office of the country (cpca's division list, or its first
    XINFANG_BENCH_NATIONAL_LIMIT), imported once per session by `import_offices` as in
    production (it fails on any office it cannot create); printed: its summary with the
    provisioning time per office by tenth of the run (does it stay flat as the catalogue grows?),
    and what the size of the catalogue costs a new process and a fresh connection."""
    rows = national_divisions()[: NATIONAL_LIMIT or None]
    path = tmp_path_factory.mktemp("national") / "national.csv"
    path.write_text(divisions_csv(rows), encoding="utf-8")
    with django_db_blocker.unblock():
        before = set(Office.objects.offices().values_list("code", flat=True))
        new = [r[0] for r in rows if r[0] not in before]
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import_offices", str(path), stdout=out, stderr=err, verbosity=0)
        except CommandError as exc:  # every failed office, with its code and message
            pytest.fail(f"national import: {exc} ({machine_load()})\n{err.getvalue()}")
        with connection.cursor() as cursor:
            cursor.execute("SHOW wal_level")  # minimal: a first load (XINFANG_PG_FIRST_LOAD=1)
            wal_level = cursor.fetchone()[0]
        processes = settings.XINFANG_PROVISIONING_PROCESSES or default_processes()
        print(f"\n[national import] {len(rows)} offices in the file: {out.getvalue().strip()}"
              f" (wal_level={wal_level}, {processes} processes; "
              f"{machine_load()})")  # fmt: skip
        if any(r[0] == "429004" for r in rows):  # 仙桃, directly under its province
            assert Office.objects.get(code="429004").ancestor_codes == ["420000"]
        _print_catalogue_costs([r for r in rows[-10:] if r[0] in new])
        connection.set_schema_to_public()
    # No drop: the offices stay for the session and go with the test database at its end (one
    # DROP DATABASE; dropping ~3,200 schemas one by one took 0.7 s each here).
    return [f"office_{code}" for code in new]


def _print_catalogue_costs(last_rows: list[list[str]]) -> None:
    """The template's DDL snapshot a new process takes, and the last offices built again on a
    fresh connection: what the catalogue's size costs apart from one long connection's caches."""
    started = time.perf_counter()
    provisioning._dump_template()
    dump = time.perf_counter() - started
    if not last_rows:
        return
    drop_offices([r[0] for r in last_rows])
    connection.close()
    timings = []
    for code, name, level, parent, host in last_rows:
        t = time.perf_counter()
        spec = provisioning.OfficeSpec(code, name, level, parent or None, host)
        provisioning.provision_office(spec)
        timings.append((time.perf_counter() - t) * 1000)
    median = sorted(timings)[len(timings) // 2]
    print(f"[national import] at full size: the template's DDL snapshot {dump:.1f} s; the last "
          f"{len(timings)} offices again on a fresh connection: median {median:.0f} ms "
          f"({machine_load()})")  # fmt: skip
