"""GB/T 2260 administrative division codes and the office hierarchy rules built on them.

A code is six digits: two for the province, two for the city (prefecture), two for the county.
A province-level code ends in 0000, a city-level code in 00; a county-level code ends in neither.

Not every county-level unit sits under a city. The districts and counties of the four
municipalities (直辖市 北京 天津 上海 重庆) sit directly under the municipality, and so do the
省直辖县级行政单位 (仙桃, 潜江, 天门, 神农架林区, 济源, 定州, 辛集, the XPCC cities of 新疆, the
counties of 海南 …). Their codes' middle digits name a statistical grouping, not a government:
``xx0100`` 市辖区 and ``xx0200`` 县 of a municipality, ``xx9000`` 省（自治区）直辖县级行政区划.
No office exists for a grouping; the parent of such a county-level unit is the nearest office
above it, the province-level one.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from xinfang.platform.errors import ErrorCode, ValidationError


class Level:
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"

    CHOICES = [(PROVINCE, "省级 province"), (CITY, "市级 city"), (COUNTY, "县级 county")]
    ORDER = (PROVINCE, CITY, COUNTY)


MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})  # 北京 天津 上海 重庆

_CODE = re.compile(r"^[1-8]\d{5}$")


def level_of_code(code: str) -> str:
    """The level a well-formed division code belongs to."""
    if code.endswith("0000"):
        return Level.PROVINCE
    if code.endswith("00"):
        return Level.CITY
    return Level.COUNTY


def province_of(code: str) -> str:
    return code[:2] + "0000"


def is_grouping(code: str) -> bool:
    """A city-level code that only groups county-level units directly under their province."""
    if level_of_code(code) != Level.CITY:
        return False
    if code[2:4] == "90":
        return True
    return province_of(code) in MUNICIPALITIES and code[2:4] in ("01", "02")


def parent_code_of(code: str) -> str | None:
    """The division of the nearest office above `code`'s (None for a province-level unit)."""
    level = level_of_code(code)
    if level == Level.PROVINCE:
        return None
    if level == Level.CITY or is_grouping(code[:4] + "00"):
        return province_of(code)
    return code[:4] + "00"


def validate_division_code(code: str, *, field: str = "code") -> str:
    if not isinstance(code, str) or not _CODE.match(code):
        raise ValidationError(
            f"'{code}' is not a GB/T 2260 division code (six digits, e.g. 330106)",
            code=ErrorCode.INVALID_DIVISION_CODE,
            field=field,
        )
    return code


@cache
def division_names() -> dict[str, str]:
    """Every division of the shipped list (GB/T 2260 as published in the cpca 0.5.5 data), by
    code, groupings included."""
    text = files("xinfang.tenants").joinpath("data/divisions.csv").read_text("utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def validate_place_code(code: str, *, field: str = "placeCode") -> str:
    """A place (问题发生地) is a real division, never a statistical grouping."""
    validate_division_code(code, field=field)
    if code not in division_names() or is_grouping(code):
        raise ValidationError(
            f"{code} is not an administrative division (GB/T 2260)",
            code=ErrorCode.UNKNOWN_DIVISION,
            field=field,
        )
    return code


def validate_body_division(code: str, *, field: str = "accusedDivisionCode") -> str:
    """Where a body sits: a division's 6-digit code, or a town's (9) or village's (12) statistical
    code whose first six digits are its county's."""
    if not isinstance(code, str) or not code.isdigit() or len(code) not in (6, 9, 12):
        raise ValidationError(
            f"'{code}' is not a division code (6 digits) nor a town's or village's (9 or 12)",
            code=ErrorCode.INVALID_DIVISION_CODE,
            field=field,
        )
    validate_place_code(code[:6], field=field)
    return code


def lineage_of(code: str) -> list[str]:
    """The 6-digit division of `code` and every division above it with an office, nearest first."""
    chain = [code[:6]]
    while (parent := parent_code_of(chain[-1])) is not None:
        chain.append(parent)
    return chain


def jurisdiction_contains(office_code: str, body_code: str) -> bool:
    """Whether the body at `body_code` lies in the area of the office at `office_code`."""
    return bool(body_code) and office_code in lineage_of(body_code)


@dataclass(frozen=True)
class ParentRef:
    code: str
    level: str


def validate_hierarchy(*, code: str, level: str, parent: ParentRef | None) -> None:
    """The parent is the office of the nearest division above: a province-level unit has none,
    a city-level unit its province, a county-level unit its city or, directly under a
    municipality or province, that province-level unit."""
    validate_division_code(code)
    if level not in Level.ORDER:
        raise ValidationError(
            f"unknown level '{level}'", code=ErrorCode.INVALID_LEVEL, field="level"
        )
    if level_of_code(code) != level:
        raise ValidationError(
            f"code {code} is a {level_of_code(code)} code, not a {level} code",
            code=ErrorCode.LEVEL_MISMATCH,
            field="level",
        )
    if is_grouping(code):
        raise ValidationError(
            f"{code} groups county-level units directly under their province "
            "(市辖区 / 省直辖县级行政区划); it has no office of its own",
            code=ErrorCode.DIVISION_GROUPING,
            field="code",
        )
    expected = parent_code_of(code)
    if expected is None:
        if parent is not None:
            raise ValidationError(
                "a province-level office has no parent",
                code=ErrorCode.INVALID_PARENT,
                field="parent",
            )
        return
    if parent is None or parent.code != expected:
        given = f", not {parent.code}" if parent else ""
        raise ValidationError(
            f"the parent of {code} is the office of {expected}{given}",
            code=ErrorCode.INVALID_PARENT,
            field="parent",
        )


def schema_name_for(code: str) -> str:
    return f"office_{code}"


def divisions_in_province(province_code: str) -> list[tuple[str, str]]:
    """The divisions (code, name) of one province, itself first: the places (问题发生地) a
    petition of an office there names. Groupings and the 市辖区 rows (a city's districts as a
    whole, never a place) are left out."""
    prefix = province_code[:2]
    return sorted(
        (code, name)
        for code, name in division_names().items()
        if code.startswith(prefix) and not is_grouping(code) and name != "市辖区"
    )
