"""A long provisioning loop (a country's import) recycles its connection: the backend that built
a schema caches its catalogue, and no request or task boundary ever closes it."""

from django.core.management import call_command
from django.db import connection

from tests.support.divisions import divisions_csv
from xinfang.tenants.management.commands import import_offices
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
    provision = import_offices.provision_office

    def provision_and_note_backend(spec, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backends.append(cursor.fetchone()[0])
        return provision(spec, **kwargs)

    monkeypatch.setattr(import_offices, "provision_office", provision_and_note_backend)
    path = tmp_path / "offices.csv"
    path.write_text(divisions_csv(ROWS), encoding="utf-8")
    try:
        call_command("import_offices", str(path), verbosity=0)
        # a fresh backend (public + 2 schemas built on it) after every 2 offices at most
        assert len(set(backends)) >= 3
    finally:
        codes = [row[0] for row in ROWS]
        for schema in Office.objects.filter(code__in=codes).values_list("schema_name", flat=True):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        Office.objects.filter(code__in=codes).delete()
