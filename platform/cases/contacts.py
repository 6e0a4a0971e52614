"""A petitioner's contact details as typed: checked here, before they are stored (encrypted)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator

from xinfang.platform.errors import ErrorCode, ValidationError

_email = EmailValidator()


def validate_email_address(value: str, *, field: str = "email") -> str:
    """The address stripped, or INVALID_EMAIL naming `field`."""
    address = (value or "").strip()
    try:
        _email(address)
    except DjangoValidationError:
        raise ValidationError(
            "not an e-mail address", code=ErrorCode.INVALID_EMAIL, field=field
        ) from None
    return address
