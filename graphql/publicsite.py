"""The office's guide for petitioners (信访指南, Art 18): read by anyone, edited by the office's
admins. The public pages themselves are server-rendered (platform/publicsite); this is the same
guide for the workbench and integrations."""

import graphene

from xinfang.graphql.auth import current_officer
from xinfang.platform.publicsite import selectors, services

_DESCRIPTIONS = {
    "reception_address": "接待地点: where visitors are received.",
    "reception_hours": "接待时间: the days and hours of reception.",
    "leader_reception": "领导接访日: when the office's leaders receive visitors.",
    "phone": "咨询投诉电话: the phone number for enquiries and complaints.",
    "postal_address": "来信地址: where letters go, with the postcode.",
    "email": "电子信箱: the office's e-mail address, or empty.",
    "channels": "信访渠道: the other channels, in plain words.",
    "litigation": "诉访分离: where matters for courts, arbitration or reconsideration go.",
    "notes": "其他须知: anything else petitioners should know, or empty.",
}


def _text(name: str) -> graphene.String:
    return graphene.String(required=True, description=_DESCRIPTIONS[name])


class OfficeGuideType(graphene.ObjectType):
    """信访指南: what the office publishes for petitioners. A field never set shows its default
    (from the office's name); the time limits are the office's configured ones."""

    class Meta:
        name = "OfficeGuide"

    reception_address = _text("reception_address")
    reception_hours = _text("reception_hours")
    leader_reception = _text("leader_reception")
    phone = _text("phone")
    postal_address = _text("postal_address")
    email = _text("email")
    channels = _text("channels")
    litigation = _text("litigation")
    notes = _text("notes")
    route_days = graphene.Int(required=True, description="Days to route a registered petition.")
    accept_days = graphene.Int(required=True, description="Days to decide on acceptance.")
    handling_days = graphene.Int(required=True, description="Days to handle an accepted petition.")
    max_extension_days = graphene.Int(required=True, description="The one extension, at most.")
    review_request_days = graphene.Int(
        required=True, description="Days after an opinion to ask for review (复查) or 复核."
    )
    review_days = graphene.Int(required=True, description="Days for a review opinion.")
    updated_at = graphene.DateTime(description="When an admin last edited it, or null.")

    @staticmethod
    def resolve_route_days(guide, info):
        return guide.limits.route_days

    @staticmethod
    def resolve_accept_days(guide, info):
        return guide.limits.accept_days

    @staticmethod
    def resolve_handling_days(guide, info):
        return guide.limits.handling_days

    @staticmethod
    def resolve_max_extension_days(guide, info):
        return guide.limits.max_extension_days

    @staticmethod
    def resolve_review_request_days(guide, info):
        return guide.limits.review_request_days

    @staticmethod
    def resolve_review_days(guide, info):
        return guide.limits.review_days


class Query(graphene.ObjectType):
    office_guide = graphene.Field(
        OfficeGuideType, required=True, description="This office's guide (信访指南); no login."
    )

    @staticmethod
    def resolve_office_guide(root, info):
        return selectors.office_guide(with_sessions=False)


class UpdateOfficeGuide(graphene.Mutation):
    """An admin edits the office's guide: each field given is replaced, an empty one shows its
    default again, the others stay."""

    class Meta:
        name = "UpdateOfficeGuidePayload"

    class Arguments:
        reception_address = graphene.String(description="接待地点. Empty: the default.")
        reception_hours = graphene.String(description="接待时间. Empty: the default.")
        leader_reception = graphene.String(description="领导接访日. Empty: the default.")
        phone = graphene.String(description="咨询投诉电话. Empty: the default.")
        postal_address = graphene.String(description="来信地址. Empty: the default.")
        email = graphene.String(description="电子信箱. Empty: none.")
        channels = graphene.String(description="信访渠道. Empty: the default.")
        litigation = graphene.String(description="诉访分离. Empty: the default.")
        notes = graphene.String(description="其他须知. Empty: none.")

    guide = graphene.Field(OfficeGuideType, required=True, description="The guide as now shown.")

    @staticmethod
    def mutate(root, info, **values):
        given = {name: value for name, value in values.items() if value is not None}
        guide = services.guide_update(officer=current_officer(info), values=given)
        return UpdateOfficeGuide(guide=guide)


class Mutation(graphene.ObjectType):
    update_office_guide = UpdateOfficeGuide.Field(required=True)
