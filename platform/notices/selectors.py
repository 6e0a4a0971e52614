"""Reads of notices: a petition's notices for officers, an office's wording of a kind."""

from django.db.models import QuerySet

from xinfang.platform.notices import templates
from xinfang.platform.notices.models import Notice, NoticeTemplate


def notices_of_petition(petition_id) -> QuerySet[Notice]:
    """A petition's notices, oldest first, without their (encrypted) text and address."""
    return Notice.objects.filter(petition_id=petition_id).defer("body", "address", "query_code")


def notice_get(notice_id) -> Notice | None:
    return Notice.objects.select_related("petition").filter(pk=notice_id).first()


def wording(kind: str) -> templates.Wording:
    """The office's template for this kind of notice, or the default."""
    own = NoticeTemplate.objects.filter(kind=kind).values_list("subject", "body").first()
    return templates.Wording(*own) if own else templates.default(kind)
