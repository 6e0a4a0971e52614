"""Notices to petitioners (告知): their delivery on a petition, for officers; the office's wording
of each kind (templates), for its leaders and admins; the online receipt's "send me my reference
and query code", for petitioners. Thin: services send and save, selectors read."""

import graphene
from django.urls import reverse

from xinfang.graphql.arguments import enum_value
from xinfang.graphql.auth import client_address, current_officer
from xinfang.graphql.enums import NoticeChannelEnum, NoticeKindEnum, NoticeStatusEnum
from xinfang.graphql.nodes import OfficeNode, decode_pk
from xinfang.graphql.pagination import connection, connection_field, keyset_page
from xinfang.platform.notices import selectors, services
from xinfang.platform.notices.models import Notice, NoticeChannel, NoticeStatus


class NoticeType(graphene.ObjectType):
    """告知: one document told to one petitioner by one channel, and how its delivery stands.
    Never its text or the whole address (the text of a registration notice holds the query
    code)."""

    class Meta:
        name = "Notice"
        interfaces = (OfficeNode,)
        possible_types = (Notice,)

    kind = graphene.Field(NoticeKindEnum, required=True, description="What it tells.")
    channel = graphene.Field(NoticeChannelEnum, required=True, description="How it is sent.")
    status = graphene.Field(NoticeStatusEnum, required=True, description="Where delivery stands.")
    subject = graphene.String(
        required=True, description="The document's title and the reference, as sent."
    )
    recipient_name = graphene.String(required=True, description="To whom (信访人).")
    address_masked = graphene.String(
        required=True,
        description="Where, masked: 138****5678, z***@example.com, the start of a postal address "
        "(may be empty for a letter handed over in person).",
    )
    attempts = graphene.Int(required=True, description="How often sending was tried.")
    last_error = graphene.String(
        required=True,
        description="Why the last attempt failed or why it is not sent (empty when none).",
    )
    created_at = graphene.DateTime(required=True, description="When the document was issued.")
    sent_at = graphene.DateTime(description="When the channel accepted it, or null.")

    letter_url = graphene.String(
        description="For a notice by post: where officers download its printable letter (告知书, "
        "PDF); else null."
    )

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return selectors.notice_get(id)

    @staticmethod
    def resolve_letter_url(notice, info):
        if notice.channel != NoticeChannel.LETTER:
            return None
        return reverse("notice-letter", kwargs={"notice_id": notice.pk})


NoticeConnection = connection(NoticeType, description="A page of a petition's notices.")


def notices_field():
    """`Petition.notices` (graphql/cases.py adds it to the petition type)."""
    return connection_field(
        NoticeConnection,
        "Its notices to the petitioner (告知), oldest first: channel, status, "
        "attempts, the last error and when each was sent.",
    )


def resolve_notices(petition, info, **page):
    return keyset_page(selectors.notices_of_petition(petition.pk), key=("created_at", "id"), **page)


class NoticePlaceholderType(graphene.ObjectType):
    """A `{placeholder}` a notice template may use."""

    class Meta:
        name = "NoticePlaceholder"

    name = graphene.String(required=True, description="As written in a template: `{name}`.")
    meaning = graphene.String(required=True, description="What it is replaced with.")


class NoticeTemplateType(graphene.ObjectType):
    """How this office words one kind of notice (e-mail and letter): its own template, or the
    default. `{text}` carries the document itself, so the office words the frame only."""

    class Meta:
        name = "NoticeTemplate"

    kind = graphene.Field(NoticeKindEnum, required=True, description="The kind of notice.")
    subject = graphene.String(required=True, description="The subject (e-mail) or title line.")
    body = graphene.String(required=True, description="The text, with its placeholders.")
    is_default = graphene.Boolean(
        required=True, description="True when the office has no template of its own for it."
    )
    placeholders = graphene.List(
        graphene.NonNull(NoticePlaceholderType),
        required=True,
        description="The placeholders this kind may use ({query_code} in a registration only).",
    )
    updated_at = graphene.DateTime(description="When the office's template was saved, or null.")
    # By its path: graphql/cases.py imports this module for `Petition.notices`.
    updated_by = graphene.Field(
        "xinfang.graphql.cases.OfficerType", description="Who saved it, or null."
    )

    @staticmethod
    def resolve_placeholders(wording, info):
        return [NoticePlaceholderType(name=n, meaning=m) for n, m in wording.placeholders.items()]


class Query(graphene.ObjectType):
    notice_templates = graphene.List(
        graphene.NonNull(NoticeTemplateType),
        required=True,
        description="Every kind of notice with this office's wording of it (its own or the "
        "default), in the catalogue's order; for leaders and admins.",
    )

    @staticmethod
    def resolve_notice_templates(root, info):
        return selectors.notice_templates(viewer=current_officer(info))


class SetNoticeTemplate(graphene.Mutation):
    """A leader or admin words one kind of notice for this office; an empty subject and body go
    back to the default. An unknown placeholder is INVALID_TEMPLATE, naming the field."""

    class Meta:
        name = "SetNoticeTemplatePayload"

    class Arguments:
        kind = graphene.Argument(NoticeKindEnum, required=True, description="The kind of notice.")
        subject = graphene.String(required=True, description="The subject line; empty: default.")
        body = graphene.String(required=True, description="The text; empty: the default.")

    template = graphene.Field(
        NoticeTemplateType, required=True, description="The wording as it now stands."
    )

    @staticmethod
    def mutate(root, info, kind, subject, body):
        kind = enum_value(kind)
        services.notice_template_set(
            officer=current_officer(info), kind=kind, subject=subject, body=body
        )
        return SetNoticeTemplate(template=selectors.notice_template(kind))


class SendPetitionReceipt(graphene.Mutation):
    """Public (no login): send the registration notice, with the reference and query code, to
    this e-mail address and/or mobile number (the online receipt's 发送到手机/邮箱)."""

    class Meta:
        name = "SendPetitionReceiptPayload"

    class Arguments:
        reference = graphene.String(required=True, description="The reference number.")
        query_code = graphene.String(required=True, description="Its query code (查询码).")
        email = graphene.String(description="An e-mail address to send it to.")
        phone = graphene.String(description="A mobile number (11 digits) to send it to.")

    channels = graphene.List(
        graphene.NonNull(NoticeChannelEnum),
        required=True,
        description="The channels it goes out by; one not configured here is left out.",
    )

    @staticmethod
    def mutate(root, info, reference, query_code, email="", phone=""):
        recorded = services.notice_receipt_send(
            reference=reference,
            query_code=query_code,
            email=email or "",
            phone=phone or "",
            client=client_address(info),
        )
        return SendPetitionReceipt(
            channels=[n.channel for n in recorded if n.status == NoticeStatus.PENDING]
        )


class MarkNoticePosted(graphene.Mutation):
    """The office printed and posted a letter (告知书): the notice is sent as of now."""

    class Meta:
        name = "MarkNoticePostedPayload"

    class Arguments:
        notice_id = graphene.ID(required=True, description="The notice by post (a Notice ID).")

    notice = graphene.Field(NoticeType, required=True, description="The notice, now sent.")

    @staticmethod
    def mutate(root, info, notice_id):
        officer = current_officer(info)
        pk = decode_pk(notice_id, expected="Notice", field="noticeId")
        return MarkNoticePosted(notice=services.notice_letter_posted(officer=officer, notice_id=pk))


class Mutation(graphene.ObjectType):
    set_notice_template = SetNoticeTemplate.Field(required=True)
    send_petition_receipt = SendPetitionReceipt.Field(required=True)
    mark_notice_posted = MarkNoticePosted.Field(required=True)
