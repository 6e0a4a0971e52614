"""Real China's hierarchy: county-level units directly under a municipality or a province."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from tests.support.divisions import divisions_csv, national_divisions
from xinfang.platform.errors import ValidationError
from xinfang.tenants.divisions import ParentRef, validate_hierarchy, validate_place_code
from xinfang.tenants.models import Office


def test_every_office_of_the_country_fits_the_hierarchy():
    """The whole national list (≈3,400 offices), parents derived from the data, validates."""
    rows = national_divisions()
    levels = {row[0]: row[2] for row in rows}
    failures = []
    for code, _name, level, parent, _host in rows:
        try:
            ref = ParentRef(parent, levels[parent]) if parent else None
            validate_hierarchy(code=code, level=level, parent=ref)
        except ValidationError as exc:
            failures.append((code, exc.code))
    assert failures == []
    counts = Counter(row[2] for row in rows)
    assert counts["province"] == 31 and counts["city"] > 300 and counts["county"] > 2800
    direct = [row for row in rows if row[2] == "county" and row[3].endswith("0000")]
    assert {"110101", "310115", "500233", "429004", "659001", "469001"} <= {r[0] for r in direct}


@pytest.mark.django_db
def test_districts_of_a_municipality_and_province_direct_cities_import(offices, tmp_path):
    wanted = {"110000", "110101", "500000", "500233", "420000", "420100", "420102", "429004"}
    rows = [row for row in national_divisions() if row[0] in wanted]
    path = tmp_path / "real.csv"
    path.write_text(divisions_csv(rows), encoding="utf-8")
    call_command("import_offices", str(path), verbosity=0)
    assert Office.objects.get(code="110101").ancestor_codes == ["110000"]  # 东城区 → 北京市
    assert Office.objects.get(code="500233").ancestor_codes == ["500000"]  # 忠县 → 重庆市
    assert Office.objects.get(code="429004").ancestor_codes == ["420000"]  # 仙桃市 → 湖北省
    assert Office.objects.get(code="420102").ancestor_codes == ["420000", "420100"]


@pytest.mark.parametrize(
    ("code", "level", "parent", "error"),
    [
        ("110100", "city", ParentRef("110000", "province"), "DIVISION_GROUPING"),  # 市辖区
        ("429000", "city", ParentRef("420000", "province"), "DIVISION_GROUPING"),
        ("110101", "county", ParentRef("110100", "city"), "INVALID_PARENT"),
        ("429004", "county", ParentRef("420100", "city"), "INVALID_PARENT"),
        ("420102", "county", ParentRef("420000", "province"), "INVALID_PARENT"),
        ("330106", "county", ParentRef("330200", "city"), "INVALID_PARENT"),
    ],
)
def test_a_parent_must_be_the_nearest_office_above(code, level, parent, error):
    with pytest.raises(ValidationError) as raised:
        validate_hierarchy(code=code, level=level, parent=parent)
    assert raised.value.code == error


@pytest.mark.django_db
def test_an_import_derives_level_and_parent_when_the_file_leaves_them_empty(offices, tmp_path):
    path = tmp_path / "derived.csv"
    path.write_text(
        divisions_csv(
            [
                ["120000", "天津市信访办", "", "", "tianjin.localhost"],
                ["120101", "和平区信访局", "", "", "heping.localhost"],
                ["120100", "市辖区", "", "", "tj-group.localhost"],
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="1 failed"):
        call_command("import_offices", str(path), verbosity=0)
    assert Office.objects.get(code="120101").ancestor_codes == ["120000"]
    assert not Office.objects.filter(code="120100").exists()


@pytest.mark.parametrize("code", ["330106", "429004", "110101", "330000"])
def test_a_place_code_is_a_real_division(code):
    assert validate_place_code(code) == code


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("339999", "UNKNOWN_DIVISION"),
        ("110100", "UNKNOWN_DIVISION"),
        ("3301", "INVALID_DIVISION_CODE"),
    ],
)
def test_a_place_code_that_is_no_division_is_refused(code, error):
    with pytest.raises(ValidationError) as raised:
        validate_place_code(code)
    assert raised.value.code == error
