"""Relay connections, one shape for every list that grows (docs/api.md, "Pagination").

`connection(NodeType)` builds `<Node>Connection { edges { cursor node } pageInfo totalCount }`;
its resolvers read a `Page`. Pages come from a keyset over a queryset (`keyset_page`: no OFFSET,
as deep a page as you like costs the same) or, for lists that are assembled in memory or by
Elasticsearch, from positions (`offset_page`, bounded by `MAX_OFFSET`). `totalCount` is computed
only when a client asks for it.
"""

import base64
import datetime
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import graphene
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from graphene import relay

from xinfang.graphql.arguments import page_size
from xinfang.platform.errors import ErrorCode, ValidationError

DEFAULT_PAGE_SIZE = 20
MAX_OFFSET = 10_000  # Elasticsearch's result window; in-memory lists never get near it


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, where they are, and how to count the whole list."""

    items: Sequence[Any]
    has_next_page: bool
    has_previous_page: bool
    cursor: Callable[[Any], str]
    count: Callable[[], int]
    extra: Any = None  # what a connection adds to the page (e.g. search facets)


def connection_arguments(**extra) -> dict:
    """The Relay paging arguments (`first`/`after` forward, `last`/`before` backward), plus
    `extra`, for a field that returns a connection."""
    return {
        "first": graphene.Int(
            description=f"Page size going forward (default {DEFAULT_PAGE_SIZE}, at most the "
            "page-size limit)."
        ),
        "after": graphene.String(description="Cursor after which the forward page starts."),
        "last": graphene.Int(description="Page size going backward, with `before`."),
        "before": graphene.String(description="Cursor before which the backward page ends."),
        **extra,
    }


def connection_field(connection_type, description: str, **filters) -> graphene.Field:
    """A required field returning `connection_type`, with the paging arguments and `filters`."""
    return graphene.Field(
        connection_type, required=True, description=description, **connection_arguments(**filters)
    )


def any_of(enum, what: str) -> graphene.List:
    """A filter argument: only items whose value is one of these (e.g. `statuses`)."""
    return graphene.List(graphene.NonNull(enum), description=f"Only these {what}.")


def connection(node_type, *, name: str | None = None, description: str = "", **extra_fields):
    """The `<name>Connection` and `<name>Edge` types over `node_type` (extra fields, e.g. facets,
    resolve from `Page.extra`)."""
    name = name or node_type._meta.name
    edge = type(
        f"{name}Edge",
        (graphene.ObjectType,),
        {
            "__doc__": f"One {name} in a page, with its cursor.",
            "cursor": graphene.String(
                required=True, description="Pass it as `after` or `before` to page on from here."
            ),
            "node": graphene.Field(node_type, required=True, description=f"The {name}."),
        },
    )

    def resolve_edges(page: Page, info):
        return [{"cursor": page.cursor(item), "node": item} for item in page.items]

    def resolve_page_info(page: Page, info):
        return relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursor(page.items[0]) if page.items else None,
            end_cursor=page.cursor(page.items[-1]) if page.items else None,
        )

    def resolve_total_count(page: Page, info):
        return page.count()

    return type(
        f"{name}Connection",
        (graphene.ObjectType,),
        {
            "__doc__": description or f"A page of {name} items (Relay connection).",
            "edges": graphene.List(
                graphene.NonNull(edge), required=True, description="The items of this page."
            ),
            "page_info": graphene.Field(
                relay.PageInfo, required=True, description="Where this page is in the list."
            ),
            "total_count": graphene.Int(
                required=True,
                description="How many items the whole list has (counted only when asked).",
            ),
            "resolve_edges": staticmethod(resolve_edges),
            "resolve_page_info": staticmethod(resolve_page_info),
            "resolve_total_count": staticmethod(resolve_total_count),
            **extra_fields,
        },
    )


def _sizes(first, last) -> tuple[int, bool]:
    if first is not None and last is not None:
        raise ValidationError("ask for first or last, not both", code=ErrorCode.INVALID_PAGINATION)
    if last is not None:
        return page_size(last, field="last"), True
    return (DEFAULT_PAGE_SIZE if first is None else page_size(first)), False


def _invalid_cursor(field: str) -> ValidationError:
    return ValidationError(
        "invalid cursor (a cursor belongs to one list and ordering)",
        code=ErrorCode.INVALID_CURSOR,
        field=field,
    )


# --- keyset pages over a queryset -------------------------------------------------------------


def _encode_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _after_q(key: Sequence[str], values: Sequence, *, later: bool) -> Q:
    """Rows strictly after (or before) `values` in the order `key` (e.g. ("-created_at", "-id"))."""
    q = Q()
    for depth, term in enumerate(key):
        column = term.lstrip("-")
        descending = term.startswith("-")
        op = "lt" if descending == later else "gt"
        step = Q(**{f"{column}__{op}": values[depth]})
        for previous, value in zip(key[:depth], values[:depth], strict=False):
            step &= Q(**{previous.lstrip("-"): value})
        q |= step
    return q


def keyset_page(
    qs: QuerySet,
    *,
    key: Sequence[str],
    count: Callable[[], int] | None = None,
    first=None,
    after=None,
    last=None,
    before=None,
) -> Page:
    """A page of `qs` in the order `key` (its last column unique, e.g. the primary key): rows
    after the `after` cursor or before the `before` cursor, by row comparison, never OFFSET.
    `count` replaces `qs.count()` where the caller knows the total already."""
    size, backward = _sizes(first, last)
    tag = ",".join(key)

    def cursor(item) -> str:
        values = [_encode_value(getattr(item, term.lstrip("-"))) for term in key]
        return base64.urlsafe_b64encode(json.dumps([tag, *values]).encode()).decode()

    def decode(value: str, field: str) -> list:
        try:
            decoded = json.loads(base64.urlsafe_b64decode(value.encode()))
        except (ValueError, TypeError, UnicodeDecodeError):
            raise _invalid_cursor(field) from None
        if not isinstance(decoded, list) or len(decoded) != len(key) + 1 or decoded[0] != tag:
            raise _invalid_cursor(field)
        return decoded[1:]

    page_qs = qs
    for value, field, later in ((after, "after", True), (before, "before", False)):
        if value:
            try:
                page_qs = page_qs.filter(_after_q(key, decode(value, field), later=later))
            except (DjangoValidationError, ValueError, TypeError):  # a value the column refuses
                raise _invalid_cursor(field) from None
    order = [term[1:] if term.startswith("-") else f"-{term}" for term in key] if backward else key
    items = list(page_qs.order_by(*order)[: size + 1])
    more, items = len(items) > size, items[:size]
    if backward:
        items.reverse()
    return Page(
        items=items,
        has_next_page=before is not None if backward else more,
        has_previous_page=more if backward else after is not None,
        cursor=cursor,
        count=count or qs.count,
    )


# --- pages by position ------------------------------------------------------------------------


def _position_cursor(tag: str, position: int) -> str:
    return base64.urlsafe_b64encode(f"{tag}:{position}".encode()).decode()


def _position(tag: str, value: str, field: str) -> int:
    try:
        found_tag, _, number = base64.urlsafe_b64decode(value.encode()).decode().rpartition(":")
        position = int(number)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise _invalid_cursor(field) from None
    if found_tag != tag or not 0 <= position < MAX_OFFSET:
        raise _invalid_cursor(field)
    return position


def offset_window(tag: str, *, total=None, first=None, after=None, last=None, before=None):
    """(offset, size) of the page the arguments ask for, for lists read by position (`last`
    without `before` needs the list's `total`)."""
    size, backward = _sizes(first, last)
    if backward:
        end = _position(tag, before, "before") if before else total
        if end is None:
            raise ValidationError(
                "`last` needs `before` on this list",
                code=ErrorCode.INVALID_PAGINATION,
                field="last",
            )
        start = max(0, end - size)
        return start, end - start
    start = _position(tag, after, "after") + 1 if after else 0
    if start + size > MAX_OFFSET:
        raise ValidationError(
            f"this list pages at most {MAX_OFFSET} items deep",
            code=ErrorCode.INVALID_PAGINATION,
            field="after",
        )
    return start, size


def offset_page(tag: str, items: Sequence, *, offset: int, total: int, extra=None) -> Page:
    """A page of `items` found at `offset` in a list of `total` (cursors are positions)."""
    positions = {id(item): offset + i for i, item in enumerate(items)}
    return Page(
        items=items,
        has_next_page=offset + len(items) < total,
        has_previous_page=offset > 0,
        cursor=lambda item: _position_cursor(tag, positions[id(item)]),
        count=lambda: total,
        extra=extra,
    )


def list_page(tag: str, items: Sequence, *, first=None, after=None, last=None, before=None) -> Page:
    """A page of a list already in memory (e.g. a matter's journey, merged from several offices)."""
    offset, size = offset_window(
        tag, total=len(items), first=first, after=after, last=last, before=before
    )
    return offset_page(tag, items[offset : offset + size], offset=offset, total=len(items))
