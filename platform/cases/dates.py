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


def ensure_due_within(due_date: datetime.date, limit_days: int) -> datetime.date:
    """A due date after today and at most `limit_days` ahead (the issuing office's bound)."""
    today = timezone.localdate()
    latest = today + datetime.timedelta(days=limit_days)
    if not today < due_date <= latest:
        raise ValidationError(
            f"the deadline must lie after today and by {latest.isoformat()} "
            f"({limit_days} days ahead at most)",
            code=ErrorCode.INVALID_DUE_DATE,
            field="dueDate",
            latest=latest.isoformat(),
        )
    return due_date
