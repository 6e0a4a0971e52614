"""Accusations (检举控告, Art 30): the accused body's kind and division, and the reporter's
identity taken out of any text an office in the accused body's area may read."""

import pytest

from tests import factories
from xinfang.platform.errors import ValidationError
from xinfang.platform.pii import redact_reporter
from xinfang.tenants.divisions import jurisdiction_contains

SANDUN_TOWN = "330106109"  # 三墩镇, a town inside 西湖区 (9-digit statistical code)
VILLAGE = "330106109201"  # a village committee of 三墩镇


@pytest.mark.parametrize(
    ("body", "inside", "outside"),
    [
        (SANDUN_TOWN, {"330106", "330100", "330000"}, {"330110", "330200", "330212"}),
        (VILLAGE, {"330106", "330100", "330000"}, {"330110", "330212"}),
        ("330106", {"330106", "330100", "330000"}, {"330110"}),  # a county bureau
        ("330100", {"330100", "330000"}, {"330106", "330110", "330200"}),  # a city department
        ("110105", {"110105", "110000"}, {"330000"}),  # a district of 北京: no city above it
        ("429004", {"429004", "420000"}, {"420100"}),  # 仙桃, directly under 湖北
    ],
)
def test_the_accused_bodys_division_decides_whose_jurisdiction_contains_it(body, inside, outside):
    assert all(jurisdiction_contains(code, body) for code in inside)
    assert not any(jurisdiction_contains(code, body) for code in outside)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"accused_kind": "town"}, "REQUIRED", "accusedDivisionCode"),
        ({"accused_division_code": SANDUN_TOWN}, "INVALID_ACCUSED_KIND", "accusedKind"),
        ({"accused_kind": "town", "accused_division_code": "3301061"}, "INVALID_DIVISION_CODE",
         "accusedDivisionCode"),
        ({"accused_kind": "town", "accused_division_code": "339999109"}, "UNKNOWN_DIVISION",
         "accusedDivisionCode"),
    ],
)  # fmt: skip
def test_an_accusation_names_the_kind_and_division_of_whom_it_accuses(
    xihu_staff, in_office, fields, error, field
):
    with in_office("xihu"), pytest.raises(ValidationError) as raised:
        factories.petition(
            officer=xihu_staff["registrar"],
            is_accusation=True,
            accused_body="三墩镇人民政府",
            **fields,
        )
    assert (raised.value.code, raised.value.field) == (error, field)


@pytest.mark.django_db
def test_an_accusation_keeps_its_accused_kind_and_division(xihu_staff, in_office):
    with in_office("xihu"):
        petition = factories.petition(
            officer=xihu_staff["registrar"], is_accusation=True, accused_body="三墩镇人民政府",
            accused_kind="town", accused_division_code=SANDUN_TOWN,
        ).petition  # fmt: skip
    assert (petition.accused_kind, petition.accused_division_code) == ("town", SANDUN_TOWN)


def test_the_reporters_name_id_phone_and_address_are_taken_out_of_the_text():
    letter = (
        "我叫王小明，身份证330106198001011234，电话138 0000 1111，住三墩镇振华路8号。"
        "王小明举报三墩镇某干部收受贿赂，座机0571-88886666。"
    )
    text = redact_reporter(
        letter, names=["王小明"], addresses=["三墩镇振华路8号"], numbers=["13800001111"]
    )
    for secret in ("王小明", "330106198001011234", "138 0000 1111", "振华路8号", "88886666"):
        assert secret not in text
    assert "举报三墩镇某干部收受贿赂" in text
