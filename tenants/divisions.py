"""GB/T 2260 administrative division codes and the office hierarchy rules built on them.

A code is six digits: two for the province, two for the city (prefecture), two for the county.
A province code ends in 0000, a city code in 00; a county code ends in neither.
"""

import re
from dataclasses import dataclass

from xinfang.platform.errors import ErrorCode, ValidationError


class Level:
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"

    CHOICES = [(PROVINCE, "省级 province"), (CITY, "市级 city"), (COUNTY, "县级 county")]
    ORDER = (PROVINCE, CITY, COUNTY)
    PARENT = {PROVINCE: None, CITY: PROVINCE, COUNTY: CITY}


_CODE = re.compile(r"^[1-8]\d{5}$")


def level_of_code(code: str) -> str:
    """The level a well-formed division code belongs to."""
    if code.endswith("0000"):
        return Level.PROVINCE
    if code.endswith("00"):
        return Level.CITY
    return Level.COUNTY


def validate_division_code(code: str) -> str:
    if not isinstance(code, str) or not _CODE.match(code):
        raise ValidationError(
            f"'{code}' is not a GB/T 2260 division code (six digits, e.g. 330106)",
            code=ErrorCode.INVALID_DIVISION_CODE,
            field="code",
        )
    return code


@dataclass(frozen=True)
class ParentRef:
    code: str
    level: str


def validate_hierarchy(*, code: str, level: str, parent: ParentRef | None) -> None:
    """A county sits under a city, a city under a province, a province under nothing."""
    validate_division_code(code)
    if level not in Level.PARENT:
        raise ValidationError(
            f"unknown level '{level}'", code=ErrorCode.INVALID_LEVEL, field="level"
        )
    if level_of_code(code) != level:
        raise ValidationError(
            f"code {code} is a {level_of_code(code)} code, not a {level} code",
            code=ErrorCode.LEVEL_MISMATCH,
            field="level",
        )
    expected = Level.PARENT[level]
    if expected is None:
        if parent is not None:
            raise ValidationError(
                "a province office has no parent", code=ErrorCode.INVALID_PARENT, field="parent"
            )
        return
    if parent is None:
        raise ValidationError(
            f"a {level} office needs a {expected} parent",
            code=ErrorCode.INVALID_PARENT,
            field="parent",
        )
    if parent.level != expected:
        raise ValidationError(
            f"the parent of a {level} office must be a {expected} office, "
            f"{parent.code} is a {parent.level} office",
            code=ErrorCode.INVALID_PARENT,
            field="parent",
        )
    prefix = 2 if level == Level.CITY else 4
    if code[:prefix] != parent.code[:prefix]:
        raise ValidationError(
            f"{code} does not lie within {parent.code}",
            code=ErrorCode.INVALID_PARENT,
            field="parent",
        )


def schema_name_for(code: str) -> str:
    return f"office_{code}"
