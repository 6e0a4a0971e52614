import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists

from tests.support.divisions import divisions_csv
from xinfang.platform.errors import ValidationError
from xinfang.tenants import provisioning
from xinfang.tenants.models import Domain, Office, TemplateSnapshot
from xinfang.tenants.provisioning import OfficeSpec, provision_office

pytestmark = pytest.mark.django_db


def create(code, level, parent, host, name="测试信访局"):
    call_command("create_office", code, name, level=level, parent=parent, host=host)


def test_create_office_provisions_row_domain_and_a_usable_schema(offices):
    create("330108", "county", "330100", "binjiang.localhost")
    office = Office.objects.get(code="330108")
    assert office.schema_name == "office_330108"
    assert office.ancestor_codes == ["330000", "330100"]
    assert office.primary_host() == "binjiang.localhost"
    assert schema_exists("office_330108")
    connection.set_tenant(office)
    from xinfang.platform.accounts.models import Officer

    Officer.objects.create_user("registrar", password="x" * 12)
    assert Officer.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "level", "parent", "host", "error"),
    [
        ("33010", "county", "330100", "bad.localhost", "INVALID_DIVISION_CODE"),
        ("330108", "city", "330000", "bad.localhost", "LEVEL_MISMATCH"),
        ("330108", "county", "330000", "bad.localhost", "INVALID_PARENT"),
        ("330302", "county", "330100", "bad.localhost", "INVALID_PARENT"),
        ("330108", "county", "339900", "bad.localhost", "UNKNOWN_PARENT"),
        ("330108", "county", "330100", "xihu.localhost", "DUPLICATE_DOMAIN"),
        ("330106", "county", "330100", "new.localhost", "DUPLICATE_OFFICE"),
        ("330108", "county", "330100", "bin_jiang.localhost", "INVALID_HOST"),
    ],
)
def test_create_office_rejects_bad_input_with_a_clear_message(
    offices, code, level, parent, host, error
):
    before = Office.objects.count()
    with pytest.raises(CommandError, match=error):
        create(code, level, parent, host)
    assert Office.objects.count() == before
    assert not schema_exists("office_330108")


def test_a_failure_while_building_the_schema_leaves_nothing_behind(offices, monkeypatch):
    real_build = provisioning.build_schema

    def build_then_fail(schema_name, strategy):
        real_build(schema_name, strategy)
        assert schema_exists(schema_name)
        raise RuntimeError("disk full")

    monkeypatch.setattr(provisioning, "build_schema", build_then_fail)
    with pytest.raises(RuntimeError):
        provision_office(OfficeSpec("330108", "滨江区信访局", "county", "330100", "bj.localhost"))
    assert not Office.objects.filter(code="330108").exists()
    assert not Domain.objects.filter(domain="bj.localhost").exists()
    assert not schema_exists("office_330108")


def test_a_new_process_builds_offices_from_the_stored_template_snapshot(offices, monkeypatch):
    provision_office(OfficeSpec("330108", "滨江区信访局", "county", "330100", "bj.localhost"))
    assert TemplateSnapshot.objects.exists()
    monkeypatch.setattr(provisioning, "_dumps", {})  # nothing cached in this process
    monkeypatch.setattr(provisioning, "_dump_template", lambda: pytest.fail("pg_dump ran again"))
    office = provision_office(
        OfficeSpec("330109", "萧山区信访局", "county", "330100", "xs.localhost")
    )
    connection.set_tenant(office)
    from xinfang.platform.accounts.models import Officer

    Officer.objects.create_user("registrar", password="x" * 12)
    assert Officer.objects.count() == 1


@pytest.mark.parametrize("strategy", ["template", "clone", "migrate"])
def test_every_schema_strategy_builds_the_same_tables(offices, strategy):
    office = provision_office(
        OfficeSpec("330108", "滨江区信访局", "county", "330100", "bj.localhost"), strategy=strategy
    )

    def tables(schema):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = %s ORDER BY 1, 2",
                [schema],
            )
            return cursor.fetchall()

    assert tables(office.schema_name) == tables(offices["xihu"].schema_name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {office.schema_name}.django_migrations")
        migrated = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {offices['xihu'].schema_name}.django_migrations")
        assert migrated == cursor.fetchone()[0] > 0


def jiangsu_divisions():
    """Real divisions of Jiangsu (320000) from the cpca package's adcodes table."""
    from importlib.resources import files

    table = files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(table)):
        code = row["adcode"][:6]
        if not code.startswith("32"):
            continue
        level = {"0000": "province"}.get(code[2:], "city" if code.endswith("00") else "county")
        parent = (
            None
            if level == "province"
            else (code[:2] + "0000" if level == "city" else code[:4] + "00")
        )
        rows.append([code, row["name"], level, parent or "", f"js-{code}.localhost"])
    return rows


def test_import_offices_rolls_out_a_province_and_resumes_after_interruption(offices, tmp_path):
    rank = {"province": 0, "city": 1, "county": 2}
    rows = sorted(jiangsu_divisions(), key=lambda row: (rank[row[2]], row[0]))
    assert len(rows) > 100
    first_half = tmp_path / "first.csv"
    first_half.write_text(divisions_csv(rows[: len(rows) // 2]), encoding="utf-8")
    whole = tmp_path / "whole.csv"
    whole.write_text(divisions_csv(reversed(rows)), encoding="utf-8")  # children before parents

    call_command("import_offices", str(first_half), verbosity=0)
    out = io.StringIO()
    call_command("import_offices", str(whole), stdout=out, verbosity=0)

    assert (
        f"{len(rows) - len(rows) // 2} created, {len(rows) // 2} skipped, 0 failed"
        in out.getvalue()
    )
    assert "median ms per office by tenth: " in out.getvalue()
    province = Office.objects.get(code="320000")
    assert province.subtree().count() == len(rows)
    assert Office.objects.get(code="320106").ancestor_codes == ["320000", "320100"]


def test_import_offices_reports_failures_and_exits_non_zero(offices, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        divisions_csv(
            [
                ["330108", "滨江区信访局", "county", "330100", "binjiang.localhost"],
                ["330109", "萧山区信访局", "county", "330200", "xiaoshan.localhost"],
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="1 created, 0 skipped, 1 failed"):
        call_command("import_offices", str(path), verbosity=0)
    assert Office.objects.filter(code="330108").exists()
    assert not schema_exists("office_330109")


def test_validation_errors_carry_a_stable_code():
    with pytest.raises(ValidationError) as caught:
        provision_office(OfficeSpec("3301", "x", "city", None, "x.localhost"))
    assert caught.value.code == "INVALID_DIVISION_CODE"
