"""Dates an officer enters (received, hearing, request dates): never ahead of today, never before
the event they follow. One check, so every service bounds its dates alike."""

import datetime

from django.utils import timezone

from xinfang.platform.errors import ErrorCode, ValidationError


def ensure_between(
    day: datetime.date,
    *,
    earliest: datetime.date | None,
    latest: datetime.date | None = None,
    field: str,
    what: str,
) -> datetime.date:
    """`day` itself, or a typed error naming the field: DATE_IN_FUTURE past today (or past
    `latest`, if earlier), DATE_OUT_OF_RANGE before `earliest`."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            f"{what} cannot lie in the future ({day} is after {today})",
            code=ErrorCode.DATE_IN_FUTURE,
            field=field,
        )
    if latest is not None and day > latest:
        raise ValidationError(
            f"{what} must be on or before {latest}", code=ErrorCode.DATE_OUT_OF_RANGE, field=field
        )
    if earliest is not None and day < earliest:
        raise ValidationError(
            f"{what} must be on or after {earliest}",
            code=ErrorCode.DATE_OUT_OF_RANGE,
            field=field,
        )
    return day
