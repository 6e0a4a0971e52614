"""Reads of notices: a petition's notices for officers, an office's wording of a kind."""

import uuid

from django.db.models import QuerySet

from xinfang.platform.notices import templates
from xinfang.platform.notices.models import Notice, NoticeChannel, NoticeTemplate


def notices_of_petition(petition_id) -> QuerySet[Notice]:
    """A petition's notices, oldest first, without their (encrypted) text and address."""
    return Notice.objects.filter(petition_id=petition_id).defer("body", "address", "query_code")


def notice_get(notice_id) -> Notice | None:
    pk = as_uuid(notice_id)
    return Notice.objects.select_related("petition").filter(pk=pk).first() if pk else None


def as_uuid(value) -> uuid.UUID | None:
    """A notice's primary key from an ID's text, or None when it cannot be one."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def wording(kind: str) -> templates.Wording:
    """The office's template for this kind of notice, or the default."""
    own = NoticeTemplate.objects.filter(kind=kind).values_list("subject", "body").first()
    return templates.Wording(*own) if own else templates.default(kind)


def letter_get(notice_id) -> Notice | None:
    """A notice by post with what its letter prints (the event's document title, the
    reference), or None."""
    return (
        Notice.objects.select_related("petition", "event")
        .filter(pk=notice_id, channel=NoticeChannel.LETTER)
        .first()
    )
