"""A long provisioning loop (a country's import) recycles its connection: the backend that built
a schema caches its catalogue, and no request or task boundary ever closes it. A level's offices
are built by several processes at once, parents' levels first."""

import os

from django.core.management import call_command
from django.db import connection

from tests.perf.offices import drop_offices
from tests.support.divisions import divisions_csv
from xinfang.tenants import provisioning
from xinfang.tenants.models import Office

ROWS = [
    [code, f"测试{code}信访局", "county", "330100", f"t{code}.localhost"]
    for code in ("330102", "330105", "330108", "330109", "330111")
]


def test_import_offices_opens_a_fresh_connection_after_max_schemas_built(
    committed, tmp_path, settings, monkeypatch
):
    settings.XINFANG_CONN_MAX_SCHEMAS = 2
    backends = []
    provision = provisioning.provision_office

    def provision_and_note_backend(spec, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backends.append(cursor.fetchone()[0])
        return provision(spec, **kwargs)

    monkeypatch.setattr(provisioning, "provision_office", provision_and_note_backend)
    path = tmp_path / "offices.csv"
    path.write_text(divisions_csv(ROWS), encoding="utf-8")
    try:
        call_command("import_offices", str(path), processes=1, verbosity=0)
        # a fresh backend (public + 2 schemas built on it) after every 2 offices at most
        assert len(set(backends)) >= 3
    finally:
        drop_offices([row[0] for row in ROWS])


def test_import_offices_builds_a_level_in_parallel_processes_after_its_parents(
    committed, tmp_path, monkeypatch
):
    """A new city and 12 of its counties, children listed first: the city is built before any
    county, and the counties by two forked processes (each notes its pid in a file)."""
    city = ["335000", "测试市信访局", "city", "330000", "t335000.localhost"]
    counties = [
        [f"3350{i:02d}", f"测试县{i}信访局", "county", "335000", f"t3350{i:02d}.localhost"]
        for i in range(1, 13)
    ]
    builders = tmp_path / "builders"
    provision = provisioning.provision_office

    def provision_and_note_process(spec, **kwargs):
        with builders.open("a") as handle:
            handle.write(f"{spec.code} {os.getpid()}\n")
        return provision(spec, **kwargs)

    monkeypatch.setattr(provisioning, "provision_office", provision_and_note_process)
    path = tmp_path / "offices.csv"
    path.write_text(divisions_csv([*counties, city]), encoding="utf-8")
    try:
        call_command("import_offices", str(path), processes=2, verbosity=0)
        built = [line.split() for line in builders.read_text().splitlines()]
        assert built[0][0] == city[0]
        county_pids = {pid for code, pid in built if code != city[0]}
        assert len(county_pids) == 2 and str(os.getpid()) not in county_pids
        assert Office.objects.filter(code__in=[c[0] for c in counties]).count() == 12
        assert Office.objects.get(code="335012").ancestor_codes == ["330000", "335000"]
    finally:
        drop_offices([row[0] for row in [*counties, city]])
