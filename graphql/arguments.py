"""Argument handling the domain modules share: enums built from model choices, enum values for
the services, and the page-size limit."""

import graphene
from django.conf import settings

from xinfang.platform.errors import ErrorCode, ValidationError


def enum_type(name: str, choices, description: str):
    """A GraphQL enum of a model's choices: `VALUE` names for the stored lower-case values, each
    described by its choice label (e.g. `ACCEPTED`: "已受理 accepted").

    Built on the choices class itself, so a resolver may return what a model instance holds: the
    stored value once loaded, the choice member right after a service set it."""
    renamed = [member.name for member in choices if member.name != member.value.upper()]
    if renamed:  # the schema names every value by its upper-cased stored value
        raise ValueError(f"{name}: choice names differ from their values: {renamed}")
    return graphene.Enum.from_enum(
        choices,
        name=name,
        description=lambda member: description if member is None else member.label,
    )


def value_enum(name: str, labels: dict[str, str], description: str):
    """A GraphQL enum of lower-case values with a description each: `{"on_time": "…"}`."""

    def describe(member):
        return description if member is None else labels[member.value]

    return graphene.Enum(name, [(value.upper(), value) for value in labels], description=describe)


def enum_value(member):
    """Graphene 3 passes enum arguments as Python enum members; services take the value."""
    return getattr(member, "value", member)


def enum_values(members) -> list[str]:
    return [enum_value(m) for m in members or []]


def page_size(size: int, *, field: str = "first") -> int:
    """`size`, once it is within the page-size limit (else PAGE_SIZE_EXCEEDED)."""
    if not 0 <= size <= settings.GRAPHQL_MAX_PAGE_SIZE:
        raise ValidationError(
            f"{field} must be between 0 and {settings.GRAPHQL_MAX_PAGE_SIZE}",
            code=ErrorCode.PAGE_SIZE_EXCEEDED,
            field=field,
        )
    return size
