"""Argument handling the domain modules share: enums built from model choices, enum values for
the services, and the page-size limit."""

import graphene
from django.conf import settings

from xinfang.platform.errors import ErrorCode, ValidationError


def enum_type(name: str, choices, description: str | None = None):
    """A GraphQL enum of a model's choices: `VALUE` names for the stored lower-case values."""
    return graphene.Enum(
        name, [(value.upper(), value) for value in choices.values], description=description
    )


def enum_value(member):
    """Graphene 3 passes enum arguments as Python enum members; services take the value."""
    return getattr(member, "value", member)


def page_size(size: int, *, field: str = "first") -> int:
    """`size`, once it is within the page-size limit (else PAGE_SIZE_EXCEEDED)."""
    if not 0 <= size <= settings.GRAPHQL_MAX_PAGE_SIZE:
        raise ValidationError(
            f"{field} must be between 0 and {settings.GRAPHQL_MAX_PAGE_SIZE}",
            code=ErrorCode.PAGE_SIZE_EXCEEDED,
            field=field,
        )
    return size
