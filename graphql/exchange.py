"""Handoffs between offices: inbox and outbox, a matter's journey, another office's petition (when
jurisdiction allows), and one mutation per handoff step. Thin: services change, selectors read.

Creating mutations take an `idempotencyKey`: a retried request returns the handoff the first one
created instead of making a second.
"""

import graphene

from xinfang.graphql.arguments import enum_type, enum_value, page_size
from xinfang.graphql.auth import current_officer
from xinfang.graphql.nodes import decode
from xinfang.platform.exchange import selectors, services
from xinfang.platform.exchange.models import HandoffKind, HandoffStatus
from xinfang.platform.supervision import timeline

HandoffKindEnum = enum_type("HandoffKind", HandoffKind, "转送 / 交办 / 上报 / 复查 / 复核")
HandoffStatusEnum = enum_type("HandoffStatus", HandoffStatus, "Where a handoff stands")
UrgencyEnum = graphene.Enum("EscalationUrgency", [("MAJOR", "major"), ("URGENT", "urgent")])


class OfficeRefType(graphene.ObjectType):
    class Meta:
        name = "OfficeRef"
        description = "An office named in the ledger"

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    level = graphene.String(required=True)


class HandoffType(graphene.ObjectType):
    class Meta:
        name = "Handoff"
        description = "One move of a matter between two offices (the public ledger row)"

    id = graphene.UUID(required=True)
    kind = graphene.Field(HandoffKindEnum, required=True)
    status = graphene.Field(HandoffStatusEnum, required=True)
    matter_id = graphene.UUID(required=True)
    sender_office = graphene.Field(OfficeRefType, required=True)
    receiver_office = graphene.Field(OfficeRefType, required=True)
    decider_office = graphene.Field(OfficeRefType, description="who decides a pending objection")
    sender_petition_id = graphene.UUID(required=True)
    sender_reference = graphene.String(required=True)
    receiver_petition_id = graphene.UUID()
    receiver_reference = graphene.String(required=True)
    reason = graphene.String(required=True)
    urgency = graphene.String(required=True)
    identity_withheld = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)
    accept_due = graphene.Date()
    objection_due = graphene.Date()
    due_date = graphene.Date(description="assignment report / review opinion deadline")
    accepted_at = graphene.DateTime()
    objection_reason = graphene.String(required=True)
    objected_at = graphene.DateTime()
    decision = graphene.String(required=True)
    decision_note = graphene.String(required=True)
    decided_at = graphene.DateTime()
    result = graphene.String(required=True, description="assignment report or review opinion")
    result_at = graphene.DateTime()

    @staticmethod
    def resolve_kind(handoff, info):
        return enum_value(handoff.kind)

    @staticmethod
    def resolve_status(handoff, info):
        return enum_value(handoff.status)


class TimelineEntryType(graphene.ObjectType):
    class Meta:
        name = "MatterTimelineEntry"

    at = graphene.DateTime(required=True)
    office = graphene.Field(OfficeRefType, required=True)
    kind = graphene.String(required=True)
    reference = graphene.String(required=True)
    from_status = graphene.String(required=True)
    to_status = graphene.String(required=True)
    note = graphene.String(required=True)
    handoff_id = graphene.UUID()

    @staticmethod
    def resolve_handoff_id(entry, info):
        return entry.handoff.pk if entry.handoff else None


class CrossOfficePetitionType(graphene.ObjectType):
    class Meta:
        name = "CrossOfficePetition"
        description = "Another office's petition, read in that office once jurisdiction allows"

    id = graphene.UUID(required=True)
    matter_id = graphene.UUID(required=True)
    office = graphene.Field(OfficeRefType, required=True)
    reference = graphene.String(required=True)
    status = graphene.String(required=True)
    category = graphene.String(required=True)
    place = graphene.String(required=True)
    content = graphene.String(required=True)
    request = graphene.String(required=True)
    registered_at = graphene.DateTime(required=True)
    next_due = graphene.Date()
    petitioner_names = graphene.List(graphene.NonNull(graphene.String), required=True)

    @staticmethod
    def resolve_office(view, info):
        return view.record.office

    @staticmethod
    def resolve_petitioner_names(view, info):
        return view.petitioner_names


def _petition_attr(name):
    return lambda view, info: getattr(view.petition, name)


for _name in (
    "id", "matter_id", "reference", "status", "category", "place", "content", "request",
    "registered_at", "next_due",
):  # fmt: skip
    setattr(CrossOfficePetitionType, f"resolve_{_name}", staticmethod(_petition_attr(_name)))


class Query(graphene.ObjectType):
    handoff_inbox = graphene.List(
        graphene.NonNull(HandoffType),
        required=True,
        status=graphene.List(graphene.NonNull(HandoffStatusEnum)),
        first=graphene.Int(default_value=50),
        description="Handoffs sent to this office, and objections it has to decide",
    )
    handoff_outbox = graphene.List(
        graphene.NonNull(HandoffType),
        required=True,
        status=graphene.List(graphene.NonNull(HandoffStatusEnum)),
        first=graphene.Int(default_value=50),
        description="Handoffs this office sent or asked for",
    )
    handoff = graphene.Field(HandoffType, required=True, id=graphene.UUID(required=True))
    matter_timeline = graphene.List(
        graphene.NonNull(TimelineEntryType),
        required=True,
        matter_id=graphene.UUID(required=True),
        description="The matter's journey across offices, as far as this office may see it",
    )
    cross_office_petition = graphene.Field(
        CrossOfficePetitionType,
        required=True,
        petition_id=graphene.UUID(required=True),
        description="Any office's petition, when jurisdiction lets this office see it",
    )

    @staticmethod
    def resolve_handoff_inbox(root, info, first, status=None):
        current_officer(info)
        statuses = [enum_value(s) for s in status] if status else None
        return selectors.inbox(office=info.context.tenant, statuses=statuses)[: page_size(first)]

    @staticmethod
    def resolve_handoff_outbox(root, info, first, status=None):
        current_officer(info)
        statuses = [enum_value(s) for s in status] if status else None
        return selectors.outbox(office=info.context.tenant, statuses=statuses)[: page_size(first)]

    @staticmethod
    def resolve_handoff(root, info, id):
        current_officer(info)
        return selectors.handoff_for(office=info.context.tenant, handoff_id=id)

    @staticmethod
    def resolve_matter_timeline(root, info, matter_id):
        current_officer(info)
        return timeline.matter_timeline(office=info.context.tenant, matter_id=matter_id)

    @staticmethod
    def resolve_cross_office_petition(root, info, petition_id):
        current_officer(info)
        return selectors.petition_for(office=info.context.tenant, petition_id=petition_id)


# --- mutations ------------------------------------------------------------------------------------


def _own_petition(global_id: str):
    return decode(global_id, expected="Petition", field="petitionId")[1]


class _HandoffMutation:
    """A handoff step: calls `service` with the current officer and the arguments (a `petitionId`
    decoded to this office's petition, enums as their values) and returns the handoff."""

    handoff = graphene.Field(HandoffType, required=True)
    service = None

    @classmethod
    def mutate(cls, root, info, **arguments):
        officer = current_officer(info)
        if "petition_id" in arguments:
            arguments["petition_id"] = _own_petition(arguments["petition_id"])
        arguments = {name: enum_value(value) for name, value in arguments.items()}
        return cls(handoff=cls.service(officer=officer, **arguments))


class TransferPetition(_HandoffMutation, graphene.Mutation):
    """转送: transfer a registered petition to the competent office (any level)."""

    class Arguments:
        petition_id = graphene.ID(required=True)
        receiver_code = graphene.String(required=True)
        reason = graphene.String(default_value="")
        idempotency_key = graphene.String(default_value="")

    service = staticmethod(services.petition_transfer)


class AssignToOffice(_HandoffMutation, graphene.Mutation):
    """交办: assign a petition to a lower office, which reports the result by `dueDate`."""

    class Arguments:
        petition_id = graphene.ID(required=True)
        receiver_code = graphene.String(required=True)
        due_date = graphene.Date(required=True)
        reason = graphene.String(default_value="")
        idempotency_key = graphene.String(default_value="")

    service = staticmethod(services.petition_assign_to_office)


class EscalatePetition(_HandoffMutation, graphene.Mutation):
    """上报: escalate a major or urgent matter to the office one level up."""

    class Arguments:
        petition_id = graphene.ID(required=True)
        reason = graphene.String(required=True)
        urgency = UrgencyEnum(default_value="major")
        idempotency_key = graphene.String(default_value="")

    service = staticmethod(services.petition_escalate)


class TransferSkipLevelDown(_HandoffMutation, graphene.Mutation):
    """越级访: transfer a skip-level petition down to the office whose matter it is."""

    class Arguments:
        petition_id = graphene.ID(required=True)
        reason = graphene.String(default_value="")
        idempotency_key = graphene.String(default_value="")

    service = staticmethod(services.skip_level_transfer_down)


class AcceptHandoff(_HandoffMutation, graphene.Mutation):
    """签收: the receiver accepts a handoff from its inbox."""

    class Arguments:
        handoff_id = graphene.UUID(required=True)

    service = staticmethod(services.handoff_accept)


class ObjectToHandoff(_HandoffMutation, graphene.Mutation):
    """异议: the receiver is not competent (within 5 working days, with reasons)."""

    class Arguments:
        handoff_id = graphene.UUID(required=True)
        reason = graphene.String(required=True)

    service = staticmethod(services.handoff_object)


class DecideObjection(_HandoffMutation, graphene.Mutation):
    """The sender (then the common superior) decides an objection: uphold = take it back."""

    class Arguments:
        handoff_id = graphene.UUID(required=True)
        uphold = graphene.Boolean(required=True)
        note = graphene.String(default_value="")

    service = staticmethod(services.objection_decide)


class ReportAssignment(_HandoffMutation, graphene.Mutation):
    """The assigned office reports the result to the assigning office."""

    class Arguments:
        handoff_id = graphene.UUID(required=True)
        result = graphene.String(required=True)

    service = staticmethod(services.assignment_report)


class RequestReview(_HandoffMutation, graphene.Mutation):
    """复查: register a review request here, about a lower office's reply (by its reference)."""

    class Arguments:
        reference = graphene.String(required=True, description="the replying office's reference")
        grounds = graphene.String(required=True)
        requested_on = graphene.Date()
        idempotency_key = graphene.String(default_value="")

    service = staticmethod(services.review_request)


class RequestRecheck(_HandoffMutation, graphene.Mutation):
    """复核: register a re-review request here, about a lower office's review opinion."""

    class Arguments:
        reference = graphene.String(required=True, description="the reviewing office's reference")
        grounds = graphene.String(required=True)
        requested_on = graphene.Date()
        idempotency_key = graphene.String(default_value="")

    service = staticmethod(services.recheck_request)


class IssueReviewOpinion(_HandoffMutation, graphene.Mutation):
    """The review (复查) or re-review (复核) opinion; after a re-review the matter is terminated."""

    class Arguments:
        handoff_id = graphene.UUID(required=True)
        opinion = graphene.String(required=True)

    service = staticmethod(services.review_opinion_issue)


class Mutation(graphene.ObjectType):
    transfer_petition = TransferPetition.Field()
    assign_to_office = AssignToOffice.Field()
    escalate_petition = EscalatePetition.Field()
    transfer_skip_level_down = TransferSkipLevelDown.Field()
    accept_handoff = AcceptHandoff.Field()
    object_to_handoff = ObjectToHandoff.Field()
    decide_objection = DecideObjection.Field()
    report_assignment = ReportAssignment.Field()
    request_review = RequestReview.Field()
    request_recheck = RequestRecheck.Field()
    issue_review_opinion = IssueReviewOpinion.Field()
