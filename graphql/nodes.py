"""Relay global IDs that belong to one office.

A global ID encodes the type, the office's division code and the primary key
(`Petition:330106:<uuid>`, base64). `node(id:)`, `nodes(ids:)` and every `id` argument resolve it
only on the office's own host: an ID from Xihu asked at Yuhang is NOT_FOUND, never another
office's row. Every domain module uses `OfficeNode` (not graphene's `relay.Node`) for its node
types, and every type with an identity is one (tests/graphql/test_conventions.py).

A petition of another office is a `CrossOfficePetition` (readable where jurisdiction allows);
`petition_copy_id` picks the type, so an ID always leads to the right object.
"""

import binascii
import uuid

import graphene
from django.conf import settings
from django.db import connection
from graphene import relay
from graphql_relay import from_global_id, to_global_id

from xinfang.platform.errors import ErrorCode, NotFound, ValidationError

PETITION_TYPES = ("Petition", "CrossOfficePetition")


def _office_code() -> str:
    return connection.tenant.code or "public"


class OfficeNode(relay.Node):
    class Meta:
        name = "Node"
        description = "An object with an ID that resolves only in the office it belongs to."

    @classmethod
    def to_global_id(cls, type_, id):
        return to_global_id(type_, f"{_office_code()}:{id}")

    @classmethod
    def get_node_from_global_id(cls, info, global_id, only_type=None):
        type_name, pk = decode(global_id, expected=only_type._meta.name if only_type else None)
        graphene_type = info.schema.get_type(type_name)
        if graphene_type is None or not hasattr(graphene_type.graphene_type, "get_node"):
            raise NotFound("no such object", field="id")
        return graphene_type.graphene_type.get_node(info, pk)


def global_id(type_name: str, pk) -> str:
    return OfficeNode.to_global_id(type_name, pk)


def petition_copy_id(office_code: str, petition_id) -> str:
    """The ID of any office's petition: a `Petition` here, a `CrossOfficePetition` elsewhere."""
    here = office_code == connection.tenant.code
    return global_id("Petition" if here else "CrossOfficePetition", petition_id)


def decode(global_id: str, *, expected: str | tuple | None = None, field: str = "id"):
    """(type name, primary key) of an ID of this office, or NOT_FOUND."""
    try:
        type_name, raw = from_global_id(global_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise NotFound("no such object", field=field) from None
    office_code, _, pk = (raw or "").partition(":")
    allowed = (expected,) if isinstance(expected, str) else expected
    if not pk or office_code != _office_code() or (allowed and type_name not in allowed):
        raise NotFound("no such object in this office", field=field)
    return type_name, pk


def decode_pk(global_id: str, *, expected: str | tuple, field: str = "id") -> str:
    return decode(global_id, expected=expected, field=field)[1]


def decode_int(global_id: str, *, expected: str, field: str, missing: str) -> int:
    """The integer primary key of an ID of this office, or NOT_FOUND saying `missing`."""
    pk = decode_pk(global_id, expected=expected, field=field)
    if not pk.isdigit():
        raise NotFound(missing, field=field)
    return int(pk)


def decode_uuid(global_id: str, *, expected: str | tuple, field: str = "id") -> uuid.UUID:
    """The UUID primary key of an ID of this office, or NOT_FOUND."""
    try:
        return uuid.UUID(decode_pk(global_id, expected=expected, field=field))
    except ValueError:
        raise NotFound("no such object in this office", field=field) from None


def decode_petition_copy(global_id: str, *, field: str) -> uuid.UUID:
    """The UUID of the petition a `Petition` or `CrossOfficePetition` ID names."""
    return decode_uuid(global_id, expected=PETITION_TYPES, field=field)


class NodesField(graphene.Field):
    """`nodes(ids:)`: several objects by ID in one request (null where one is not found)."""

    def __init__(self):
        super().__init__(
            graphene.NonNull(graphene.List(OfficeNode)),
            ids=graphene.List(
                graphene.NonNull(graphene.ID),
                required=True,
                description="Global IDs of this office (at most the page-size limit).",
            ),
            description="Objects by their global IDs, in the order asked; null for one not found.",
            resolver=self.resolve_nodes,
        )

    @staticmethod
    def resolve_nodes(root, info, ids):
        if len(ids) > settings.GRAPHQL_MAX_PAGE_SIZE:
            raise ValidationError(
                f"at most {settings.GRAPHQL_MAX_PAGE_SIZE} IDs",
                code=ErrorCode.PAGE_SIZE_EXCEEDED,
                field="ids",
            )
        found = []
        for id_ in ids:
            try:
                found.append(OfficeNode.get_node_from_global_id(info, id_))
            except NotFound:
                found.append(None)
        return found
