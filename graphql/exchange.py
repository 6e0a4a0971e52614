"""Handoffs between offices: inbox and outbox, a matter's journey, another office's petition (when
jurisdiction allows), and one mutation per handoff step. Thin: services change, selectors read.

Creating mutations take an `idempotencyKey`: a retried request returns the handoff the first one
created instead of making a second.
"""

import uuid

import graphene

from xinfang.graphql.arguments import enum_value, enum_values
from xinfang.graphql.auth import current_officer
from xinfang.graphql.cases import CategoryType, Matter, category_of
from xinfang.graphql.enums import (
    EscalationUrgencyEnum,
    EventKindEnum,
    HandoffActionEnum,
    HandoffKindEnum,
    HandoffStatusEnum,
    ObjectionDecisionEnum,
    PetitionStatusEnum,
)
from xinfang.graphql.nodes import (
    OfficeNode,
    decode_petition_copy,
    decode_uuid,
    petition_copy_id,
)
from xinfang.graphql.offices import OfficeType
from xinfang.graphql.pagination import connection, connection_field, keyset_page, list_page
from xinfang.platform.errors import NotFound
from xinfang.platform.exchange import selectors, services
from xinfang.platform.exchange.actions import available_actions
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.exchange.selectors import PetitionView
from xinfang.platform.supervision.timeline import TimelineEntry, matter_timeline

SUPERVISION_ORDER_TYPE = "xinfang.graphql.supervision.SupervisionOrderType"  # it imports this


class HandoffType(graphene.ObjectType):
    """One move of a matter between two offices (the public ledger row)."""

    class Meta:
        name = "Handoff"
        interfaces = (OfficeNode,)
        possible_types = (Handoff,)

    kind = graphene.Field(HandoffKindEnum, required=True, description="What kind of move it is.")
    status = graphene.Field(HandoffStatusEnum, required=True, description="Where it stands.")
    matter = graphene.Field(lambda: MatterType, required=True, description="The matter that moves.")
    sender_office = graphene.Field(
        OfficeType, required=True, description="The office that sent it."
    )
    receiver_office = graphene.Field(
        OfficeType, required=True, description="The office it went to."
    )
    decider_office = graphene.Field(OfficeType, description="who decides a pending objection")
    sender_petition_id = graphene.ID(
        required=True,
        description="The sender's copy (Petition ID in the sender, else CrossOfficePetition ID).",
    )
    sender_reference = graphene.String(required=True, description="The sender's reference number.")
    receiver_petition_id = graphene.ID(
        description="The receiver's copy, once it exists (a Petition ID in the receiver)."
    )
    receiver_reference = graphene.String(
        required=True, description="The receiver's reference number (empty before its copy exists)."
    )
    reason = graphene.String(
        required=True,
        description="Why it was sent (empty where this office may not see the reason).",
    )
    urgency = graphene.Field(
        EscalationUrgencyEnum, description="For an escalation, how urgent; else null."
    )
    identity_withheld = graphene.Boolean(
        required=True,
        description="An accusation: the reporter's identity was withheld from the receiver.",
    )
    created_at = graphene.DateTime(required=True, description="When it was sent.")
    accept_due = graphene.Date(
        description="The day the receiver must sign for it (15 days), or null."
    )
    objection_due = graphene.Date(
        description="The last day the receiver may object (5 working days), or null."
    )
    due_date = graphene.Date(description="assignment report / review opinion deadline")
    accepted_at = graphene.DateTime(description="When the receiver signed for it, or null.")
    objection_reason = graphene.String(
        required=True, description="The receiver's objection (empty without one)."
    )
    objected_at = graphene.DateTime(description="When the receiver objected, or null.")
    decision = graphene.Field(
        ObjectionDecisionEnum, description="How the objection was decided, or null."
    )
    decision_note = graphene.String(
        required=True, description="The decider's reasons (may be empty)."
    )
    decided_at = graphene.DateTime(description="When the objection was decided, or null.")
    result = graphene.String(required=True, description="assignment report or review opinion")
    result_at = graphene.DateTime(description="When the result or opinion came back, or null.")
    available_actions = graphene.List(
        graphene.NonNull(HandoffActionEnum),
        required=True,
        description="what the logged-in officer of this office may do with it now (签收, 异议, "
        "裁决, 报告办理结果, 出具意见): the buttons a client shows",
    )

    @staticmethod
    def resolve_available_actions(handoff, info):
        actions = available_actions(handoff, office=info.context.tenant, officer=info.context.user)
        return [action.value for action in actions]

    @staticmethod
    def resolve_kind(handoff, info):
        return enum_value(handoff.kind)

    @staticmethod
    def resolve_status(handoff, info):
        return enum_value(handoff.status)

    @staticmethod
    def resolve_matter(handoff, info):
        return Matter(handoff.matter_id)

    @staticmethod
    def resolve_sender_petition_id(handoff, info):
        return petition_copy_id(handoff.sender_office.code, handoff.sender_petition_id)

    @staticmethod
    def resolve_receiver_petition_id(handoff, info):
        if not handoff.receiver_petition_id:
            return None
        return petition_copy_id(handoff.receiver_office.code, handoff.receiver_petition_id)

    @staticmethod
    def resolve_urgency(handoff, info):
        return handoff.urgency or None

    @staticmethod
    def resolve_decision(handoff, info):
        return handoff.decision or None

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return selectors.handoff_for(office=info.context.tenant, handoff_id=id)


HandoffConnection = connection(HandoffType, description="A page of handoffs, newest first.")


class TimelineSourceEnum(graphene.Enum):
    """Where an entry of a matter's journey comes from."""

    class Meta:
        name = "MatterTimelineSource"

    EVENT = "event"
    HANDOFF = "handoff"
    SUPERVISION_ORDER = "supervision_order"

    @property
    def description(self):
        return {
            "event": "办理记录 an event in one office's copy",
            "handoff": "转办 a handoff in the ledger",
            "supervision_order": "督办 a supervision order",
        }[self.value]


class TimelineEntryType(graphene.ObjectType):
    """One step of a matter's journey: an event of a copy, a handoff or a supervision order."""

    class Meta:
        name = "MatterTimelineEntry"

    at = graphene.DateTime(required=True, description="When it happened.")
    office = graphene.Field(
        OfficeType,
        required=True,
        description="Where it happened (the sender of a handoff, the issuer of an order).",
    )
    source = graphene.Field(
        TimelineSourceEnum,
        required=True,
        description="Whether it is an event, a handoff or a supervision order.",
    )
    event_kind = graphene.Field(
        EventKindEnum, description="For an event, what happened; else null."
    )
    reference = graphene.String(
        required=True, description="The reference number of the copy concerned."
    )
    from_status = graphene.Field(
        PetitionStatusEnum,
        description="For an event that changed the status, the status before; else null.",
    )
    to_status = graphene.Field(
        PetitionStatusEnum,
        description="For an event that changed the status, the status after; else null.",
    )
    note = graphene.String(
        required=True,
        description="The note, reason or instructions (empty where this office may not see them).",
    )
    handoff = graphene.Field(
        HandoffType, description="For a handoff entry, the handoff; else null."
    )
    supervision_order = graphene.Field(
        SUPERVISION_ORDER_TYPE, description="For a supervision order entry, the order; else null."
    )

    @staticmethod
    def resolve_source(entry: TimelineEntry, info):
        if entry.handoff is not None:
            return "handoff"
        return "supervision_order" if entry.order is not None else "event"

    @staticmethod
    def resolve_event_kind(entry: TimelineEntry, info):
        return entry.kind if entry.handoff is None and entry.order is None else None

    @staticmethod
    def resolve_from_status(entry: TimelineEntry, info):
        return (entry.handoff is None and entry.order is None and entry.from_status) or None

    @staticmethod
    def resolve_to_status(entry: TimelineEntry, info):
        return (entry.handoff is None and entry.order is None and entry.to_status) or None

    @staticmethod
    def resolve_supervision_order(entry: TimelineEntry, info):
        return entry.order


TimelineConnection = connection(
    TimelineEntryType,
    name="MatterTimelineEntry",
    description="A page of a matter's journey, oldest first.",
)


class MatterType(graphene.ObjectType):
    """事项: one matter, whichever offices hold a copy of it."""

    class Meta:
        name = "Matter"
        interfaces = (OfficeNode,)
        possible_types = (Matter,)

    timeline = connection_field(
        TimelineConnection, "The matter's journey across offices, as far as this office may see it."
    )

    @staticmethod
    def resolve_timeline(matter: Matter, info, **page):
        current_officer(info)
        entries = matter_timeline(office=info.context.tenant, matter_id=matter.id)
        return list_page(f"timeline:{matter.id}", entries, **page)

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        try:
            return Matter(uuid.UUID(id))
        except ValueError:
            raise NotFound("no such matter", field="id") from None


class CrossOfficePetitionType(graphene.ObjectType):
    """Another office's petition, read in that office once jurisdiction allows."""

    class Meta:
        name = "CrossOfficePetition"
        interfaces = (OfficeNode,)
        possible_types = (PetitionView,)

    matter = graphene.Field(MatterType, required=True, description="The matter it belongs to.")
    office = graphene.Field(OfficeType, required=True, description="The office that holds it.")
    reference = graphene.String(required=True, description="That office's reference number.")
    status = graphene.Field(
        PetitionStatusEnum, required=True, description="Where it is in that office's workflow."
    )
    category = graphene.Field(CategoryType, required=True, description="What it is about.")
    place = graphene.String(required=True, description="Where the problem is.")
    content = graphene.String(required=True, description="What the petitioner says.")
    request = graphene.String(required=True, description="What the petitioner asks for.")
    registered_at = graphene.DateTime(required=True, description="When that office registered it.")
    next_due = graphene.Date(description="That office's current deadline, or null.")
    petitioner_names = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The petitioners' names (never ID or phone numbers).",
    )

    @staticmethod
    def resolve_id(view: PetitionView, info):
        return view.petition.pk

    @staticmethod
    def resolve_matter(view: PetitionView, info):
        return Matter(view.petition.matter_id)

    @staticmethod
    def resolve_office(view: PetitionView, info):
        return view.record.office

    @staticmethod
    def resolve_status(view: PetitionView, info):
        return view.petition.status

    @staticmethod
    def resolve_category(view: PetitionView, info):
        return category_of(view.petition.category)

    @staticmethod
    def resolve_petitioner_names(view: PetitionView, info):
        return view.petitioner_names

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        try:
            petition_id = uuid.UUID(id)
        except ValueError:
            raise NotFound("no such petition", field="id") from None
        return selectors.petition_for(office=info.context.tenant, petition_id=petition_id)


def _petition_attr(name):
    return lambda view, info: getattr(view.petition, name)


for _name in ("reference", "place", "content", "request", "registered_at", "next_due"):
    setattr(CrossOfficePetitionType, f"resolve_{_name}", staticmethod(_petition_attr(_name)))


def _statuses_argument():
    return graphene.List(
        graphene.NonNull(HandoffStatusEnum), description="Only handoffs in these states."
    )


class Query(graphene.ObjectType):
    handoff_inbox = connection_field(
        HandoffConnection,
        "Handoffs sent to this office, and objections it has to decide.",
        statuses=_statuses_argument(),
    )
    handoff_outbox = connection_field(
        HandoffConnection, "Handoffs this office sent or asked for.", statuses=_statuses_argument()
    )
    handoff = graphene.Field(
        HandoffType,
        required=True,
        id=graphene.ID(required=True, description="The handoff's global ID."),
        description="One handoff this office is a party to.",
    )
    matter = graphene.Field(
        MatterType,
        required=True,
        id=graphene.ID(required=True, description="The matter's global ID."),
        description="A matter by its global ID (its timeline checks what this office may see).",
    )
    cross_office_petition = graphene.Field(
        CrossOfficePetitionType,
        required=True,
        id=graphene.ID(required=True, description="A Petition or CrossOfficePetition ID."),
        description="Any office's petition, when jurisdiction lets this office see it.",
    )

    @staticmethod
    def resolve_handoff_inbox(root, info, statuses=None, **page):
        current_officer(info)
        handoffs = selectors.inbox(office=info.context.tenant, statuses=enum_values(statuses))
        return keyset_page(handoffs, key=("-created_at", "-id"), **page)

    @staticmethod
    def resolve_handoff_outbox(root, info, statuses=None, **page):
        current_officer(info)
        handoffs = selectors.outbox(office=info.context.tenant, statuses=enum_values(statuses))
        return keyset_page(handoffs, key=("-created_at", "-id"), **page)

    @staticmethod
    def resolve_handoff(root, info, id):
        current_officer(info)
        handoff_id = decode_uuid(id, expected="Handoff")
        return selectors.handoff_for(office=info.context.tenant, handoff_id=handoff_id)

    @staticmethod
    def resolve_matter(root, info, id):
        return MatterType.get_node(info, str(decode_uuid(id, expected="Matter")))

    @staticmethod
    def resolve_cross_office_petition(root, info, id):
        current_officer(info)
        petition_id = decode_petition_copy(id, field="id")
        return selectors.petition_for(office=info.context.tenant, petition_id=petition_id)


# --- mutations ------------------------------------------------------------------------------------


def _own_petition(global_id: str) -> uuid.UUID:
    return decode_uuid(global_id, expected="Petition", field="petitionId")


def _petition_id():
    return graphene.ID(required=True, description="The ID of this office's petition.")


def _handoff_id():
    return graphene.ID(required=True, description="The handoff's global ID.")


def _idempotency_key():
    return graphene.String(
        default_value="",
        description="Any string: a retry with the same key returns the first result.",
    )


def _receiver_code():
    return graphene.String(
        required=True, description="The receiving office's division code, e.g. 330110."
    )


class _HandoffMutation:
    """A handoff step: calls `service` with the current officer and the arguments (a `petitionId`
    decoded to this office's petition, enums as their values) and returns the handoff."""

    handoff = graphene.Field(HandoffType, required=True, description="The handoff after the step.")
    service = None

    @classmethod
    def mutate(cls, root, info, **arguments):
        officer = current_officer(info)
        if "petition_id" in arguments:
            arguments["petition_id"] = _own_petition(arguments["petition_id"])
        if "handoff_id" in arguments:
            arguments["handoff_id"] = decode_uuid(
                arguments["handoff_id"], expected="Handoff", field="handoffId"
            )
        arguments = {name: enum_value(value) for name, value in arguments.items()}
        return cls(handoff=cls.service(officer=officer, **arguments))


class TransferPetition(_HandoffMutation, graphene.Mutation):
    """转送: transfer a registered petition to the competent office (any level)."""

    class Meta:
        name = "TransferPetitionPayload"

    class Arguments:
        petition_id = _petition_id()
        receiver_code = _receiver_code()
        reason = graphene.String(
            default_value="", description="Why it goes there (属地, 职能), for the receiver."
        )
        idempotency_key = _idempotency_key()

    service = staticmethod(services.petition_transfer)


class AssignToOffice(_HandoffMutation, graphene.Mutation):
    """交办: assign a petition to a lower office, which reports the result by `dueDate`."""

    class Meta:
        name = "AssignToOfficePayload"

    class Arguments:
        petition_id = _petition_id()
        receiver_code = _receiver_code()
        due_date = graphene.Date(required=True, description="The day the result report is due.")
        reason = graphene.String(
            default_value="", description="What the receiver is to do, and why."
        )
        idempotency_key = _idempotency_key()

    service = staticmethod(services.petition_assign_to_office)


class EscalatePetition(_HandoffMutation, graphene.Mutation):
    """上报: escalate a major or urgent matter to the office one level up."""

    class Meta:
        name = "EscalatePetitionPayload"

    class Arguments:
        petition_id = _petition_id()
        reason = graphene.String(required=True, description="Why the office above must look at it.")
        urgency = EscalationUrgencyEnum(
            default_value="major", description="Major (重大) or urgent (紧急)."
        )
        idempotency_key = _idempotency_key()

    service = staticmethod(services.petition_escalate)


class TransferSkipLevelDown(_HandoffMutation, graphene.Mutation):
    """越级访: transfer a skip-level petition down to the office whose matter it is."""

    class Meta:
        name = "TransferSkipLevelDownPayload"

    class Arguments:
        petition_id = _petition_id()
        reason = graphene.String(
            default_value="", description="Why it goes down, for the receiver."
        )
        idempotency_key = _idempotency_key()

    service = staticmethod(services.skip_level_transfer_down)


class AcceptHandoff(_HandoffMutation, graphene.Mutation):
    """签收: the receiver accepts a handoff from its inbox."""

    class Meta:
        name = "AcceptHandoffPayload"

    class Arguments:
        handoff_id = _handoff_id()

    service = staticmethod(services.handoff_accept)


class ObjectToHandoff(_HandoffMutation, graphene.Mutation):
    """异议: the receiver is not competent (within 5 working days, with reasons)."""

    class Meta:
        name = "ObjectToHandoffPayload"

    class Arguments:
        handoff_id = _handoff_id()
        reason = graphene.String(
            required=True, description="Why this office is not competent (异议理由)."
        )

    service = staticmethod(services.handoff_object)


class DecideObjection(_HandoffMutation, graphene.Mutation):
    """The sender (then the common superior) decides an objection: uphold = take it back."""

    class Meta:
        name = "DecideObjectionPayload"

    class Arguments:
        handoff_id = _handoff_id()
        uphold = graphene.Boolean(
            required=True,
            description="true: the objection stands and the matter goes back; "
            "false: the receiver keeps it.",
        )
        note = graphene.String(default_value="", description="The reasons for the decision.")

    service = staticmethod(services.objection_decide)


class ReportAssignment(_HandoffMutation, graphene.Mutation):
    """The assigned office reports the result to the assigning office."""

    class Meta:
        name = "ReportAssignmentPayload"

    class Arguments:
        handoff_id = _handoff_id()
        result = graphene.String(
            required=True, description="The result of the assigned handling (办理结果)."
        )

    service = staticmethod(services.assignment_report)


class EvidenceKindEnum(graphene.Enum):
    """How the petitioner asked for a review: query code, or a registered visit or letter with
    their ID number verified."""

    class Meta:
        name = "ReviewEvidenceKind"

    QUERY_CODE = "query_code"
    VISIT = "visit"
    LETTER = "letter"

    @property
    def description(self):
        return {
            "QUERY_CODE": "The petitioner's query code (查询码).",
            "VISIT": "A registered visit, the ID card checked.",
            "LETTER": "A registered letter, the ID number checked.",
        }[self.name]


class ReviewEvidenceInput(graphene.InputObjectType):
    """That the petitioner asked for the review (never stored: the request records its kind)."""

    kind = EvidenceKindEnum(required=True, description="How the petitioner asked.")
    query_code = graphene.String(description="The petitioner's query code (kind QUERY_CODE).")
    id_number = graphene.String(
        description="The petitioner's ID number as checked on the visit or letter."
    )


class _ReviewMutation(_HandoffMutation):
    @classmethod
    def mutate(cls, root, info, evidence, **arguments):
        evidence = services.ReviewEvidence(
            kind=enum_value(evidence["kind"]),
            query_code=evidence.get("query_code") or "",
            id_number=evidence.get("id_number") or "",
        )
        return super().mutate(root, info, evidence=evidence, **arguments)


class RequestReview(_ReviewMutation, graphene.Mutation):
    """复查: register a review request here, about a lower office's handling opinion (by its
    reference)."""

    class Meta:
        name = "RequestReviewPayload"

    class Arguments:
        reference = graphene.String(required=True, description="the replying office's reference")
        grounds = graphene.String(
            required=True, description="The petitioner's grounds for the review."
        )
        evidence = ReviewEvidenceInput(
            required=True, description="That the petitioner asked (query code or verified ID)."
        )
        requested_on = graphene.Date(
            description="The day the request was made (default today; within 30 days of the reply)."
        )
        idempotency_key = _idempotency_key()

    service = staticmethod(services.review_request)


class RequestRecheck(_ReviewMutation, graphene.Mutation):
    """复核: register a re-review request here, about a lower office's review opinion."""

    class Meta:
        name = "RequestRecheckPayload"

    class Arguments:
        reference = graphene.String(required=True, description="the reviewing office's reference")
        grounds = graphene.String(
            required=True, description="The petitioner's grounds for the re-review."
        )
        evidence = ReviewEvidenceInput(
            required=True, description="That the petitioner asked (query code or verified ID)."
        )
        requested_on = graphene.Date(
            description="The day it was made (default today; within 30 days of the review opinion)."
        )
        idempotency_key = _idempotency_key()

    service = staticmethod(services.recheck_request)


class IssueReviewOpinion(_HandoffMutation, graphene.Mutation):
    """The review (复查) or re-review (复核) opinion; after a re-review the matter is terminated."""

    class Meta:
        name = "IssueReviewOpinionPayload"

    class Arguments:
        handoff_id = _handoff_id()
        opinion = graphene.String(
            required=True, description="The review or re-review opinion, as sent."
        )

    service = staticmethod(services.review_opinion_issue)


class Mutation(graphene.ObjectType):
    transfer_petition = TransferPetition.Field(required=True)
    assign_to_office = AssignToOffice.Field(required=True)
    escalate_petition = EscalatePetition.Field(required=True)
    transfer_skip_level_down = TransferSkipLevelDown.Field(required=True)
    accept_handoff = AcceptHandoff.Field(required=True)
    object_to_handoff = ObjectToHandoff.Field(required=True)
    decide_objection = DecideObjection.Field(required=True)
    report_assignment = ReportAssignment.Field(required=True)
    request_review = RequestReview.Field(required=True)
    request_recheck = RequestRecheck.Field(required=True)
    issue_review_opinion = IssueReviewOpinion.Field(required=True)
