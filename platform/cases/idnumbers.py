"""Chinese resident identity numbers (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check."""

import datetime
import re

from xinfang.platform.errors import ErrorCode, ValidationError
from xinfang.platform.pii import normalize_id_number

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str, *, field: str = "idNumber") -> str:
    """The normalized number, or a ValidationError saying what is wrong with it."""
    number = normalize_id_number(value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(
            "an ID number has 18 characters: 17 digits and a digit or X",
            code=ErrorCode.INVALID_ID_NUMBER,
            field=field,
        )
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            "the ID number's date of birth is not a date",
            code=ErrorCode.INVALID_ID_NUMBER,
            field=field,
        ) from None
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(
            "the ID number's check digit is wrong", code=ErrorCode.INVALID_ID_NUMBER, field=field
        )
    return number
