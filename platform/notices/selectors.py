"""Reads of notices: a petition's notices for officers, an office's wording of a kind."""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.accounts.services import ensure_role
from xinfang.platform.notices import templates
from xinfang.platform.notices.models import Notice, NoticeChannel, NoticeKind, NoticeTemplate


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


@dataclass(frozen=True)
class KindWording:
    """How the office words one kind of notice now: its own template, or the default."""

    kind: str
    subject: str
    body: str
    is_default: bool
    placeholders: dict[str, str]  # the placeholders this kind may use, with their meaning
    updated_at: datetime.datetime | None
    updated_by: Officer | None


def notice_templates(*, viewer: Officer) -> list[KindWording]:
    """Every kind of notice with its wording, in the catalogue's order (one query); for the
    office's leaders and admins, who may change them (`services.notice_template_set`)."""
    ensure_role(viewer, Role.LEADER, Role.ADMIN)
    own = {t.kind: t for t in NoticeTemplate.objects.select_related("updated_by")}
    return [_wording(kind, own.get(kind)) for kind in NoticeKind.values]


def _wording(kind: str, template: NoticeTemplate | None) -> KindWording:
    wording = (
        templates.Wording(template.subject, template.body) if template else templates.default(kind)
    )
    return KindWording(
        kind=kind,
        subject=wording.subject,
        body=wording.body,
        is_default=template is None,
        placeholders=templates.placeholders(kind),
        updated_at=template.updated_at if template else None,
        updated_by=template.updated_by if template else None,
    )


def notice_template(kind: str) -> KindWording:
    """One kind's wording as it stands (after a change: what the admin sees next)."""
    own = NoticeTemplate.objects.select_related("updated_by").filter(kind=kind).first()
    return _wording(kind, own)
