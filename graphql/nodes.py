"""Relay global IDs that belong to one office.

A global ID encodes the type, the office's division code and the primary key
(`Petition:330106:<uuid>`, base64). `node(id:)` and every `id` argument resolve it only on the
office's own host: an ID from Xihu asked at Yuhang is NOT_FOUND, never another office's row.
Every domain module uses `OfficeNode` (not graphene's `relay.Node`) for its node types.
"""

import binascii

from django.db import connection
from graphene import relay
from graphql_relay import from_global_id, to_global_id

from xinfang.platform.errors import NotFound


class OfficeNode(relay.Node):
    class Meta:
        name = "Node"
        description = "An object with an ID that resolves only in the office it belongs to"

    @classmethod
    def to_global_id(cls, type_, id):
        return to_global_id(type_, f"{connection.tenant.code}:{id}")

    @classmethod
    def get_node_from_global_id(cls, info, global_id, only_type=None):
        type_name, pk = decode(global_id, expected=only_type._meta.name if only_type else None)
        graphene_type = info.schema.get_type(type_name)
        if graphene_type is None or not hasattr(graphene_type.graphene_type, "get_node"):
            raise NotFound("no such object", field="id")
        return graphene_type.graphene_type.get_node(info, pk)


def decode(global_id: str, *, expected: str | None = None, field: str = "id") -> tuple[str, str]:
    """(type name, primary key) of an ID of this office, or NOT_FOUND."""
    try:
        type_name, raw = from_global_id(global_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise NotFound("no such object", field=field) from None
    office_code, _, pk = (raw or "").partition(":")
    if not pk or office_code != connection.tenant.code or (expected and type_name != expected):
        raise NotFound("no such object in this office", field=field)
    return type_name, pk


def decode_int(global_id: str, *, expected: str, field: str, missing: str) -> int:
    """The integer primary key of an ID of this office, or NOT_FOUND saying `missing`."""
    pk = decode(global_id, expected=expected, field=field)[1]
    if not pk.isdigit():
        raise NotFound(missing, field=field)
    return int(pk)
