"""Petitions inside one office: types, the list and detail queries, one mutation per transition,
the petitioners' progress lookup and office metrics. Thin: services change, selectors read."""

import datetime
import uuid
from dataclasses import dataclass

import graphene
from django.utils import timezone

from xinfang.graphql import notices as notice_fields
from xinfang.graphql.arguments import enum_value, page_size
from xinfang.graphql.auth import client_address, current_officer
from xinfang.graphql.enums import (
    AccusedKindEnum,
    ChannelEnum,
    DueStateEnum,
    DueStepEnum,
    EventKindEnum,
    HandoffKindEnum,
    PetitionOrderingEnum,
    PetitionStatusEnum,
    RedirectChannelEnum,
    RoleEnum,
    SatisfactionEnum,
    TransitionEnum,
)
from xinfang.graphql.loaders import loaders, then
from xinfang.graphql.nodes import NodesField, OfficeNode, decode_int, decode_pk
from xinfang.graphql.pagination import Page, connection, connection_field, keyset_page
from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.cases import (
    deadlines,
    finality,
    metrics,
    progress,
    selectors,
    services,
    taxonomy,
)
from xinfang.platform.cases import workflow as wf
from xinfang.platform.cases.models import (
    Evaluation,
    Petition,
    Petitioner,
    PetitionEvent,
    Reply,
)
from xinfang.platform.errors import NotFound, ValidationError

MATTER_TYPE = "xinfang.graphql.exchange.MatterType"  # by path: exchange imports this module


@dataclass(frozen=True)
class Matter:
    """事项: what every office's copy of a petition shares (`matter_id`)."""

    id: uuid.UUID


class OfficerType(graphene.ObjectType):
    """An officer of this office (登记员, 承办人, 领导, 督查员, 管理员)."""

    class Meta:
        name = "Officer"
        interfaces = (OfficeNode,)
        possible_types = (Officer,)

    username = graphene.String(required=True, description="The login name.")
    full_name = graphene.String(
        required=True, description="The officer's name as shown on screens (may be empty)."
    )
    roles = graphene.List(
        graphene.NonNull(RoleEnum),
        required=True,
        description="The roles the officer holds (with an API token: only the token's scopes).",
    )
    is_active = graphene.Boolean(
        required=True, description="false: disabled (cannot log in; the history stays)."
    )

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return Officer.objects.filter(pk=id).first() if str(id).isdigit() else None


class CategoryType(graphene.ObjectType):
    """A category of the national classification of petition matters (问题分类)."""

    class Meta:
        name = "Category"

    code = graphene.String(required=True, description="second-level code, e.g. 01.01")
    name = graphene.String(required=True, description="full name, e.g. 城乡建设/征地拆迁")


def category_of(code: str) -> CategoryType:
    """A category by its code, with its name from the taxonomy."""
    return CategoryType(code=code, name=taxonomy.names().get(code, ""))


class PetitionerType(graphene.ObjectType):
    """信访人: a person on a petition; ID and phone numbers and e-mail are stored encrypted."""

    class Meta:
        name = "Petitioner"
        interfaces = (OfficeNode,)
        possible_types = (Petitioner,)

    name = graphene.String(required=True, description="The person's name.")
    id_number_masked = graphene.String(description="e.g. 330106********123X")
    phone = graphene.String(description="The phone number, or null when none was given.")
    email = graphene.String(description="The e-mail address, or null when none was given.")
    address = graphene.String(required=True, description="The address given (may be empty).")
    is_representative = graphene.Boolean(
        required=True,
        description="One of the (at most five) representatives of a collective petition.",
    )
    # Never the person_key: with the masked ID number it gives the whole number back (one HMAC
    # per birth date). Matches say "same person" instead (search/repeats.py).

    @staticmethod
    def resolve_id_number_masked(petitioner, info):
        number = petitioner.id_number
        return f"{number[:6]}{'*' * 8}{number[-4:]}" if number else None

    @staticmethod
    def resolve_phone(petitioner, info):
        return petitioner.phone or None

    @staticmethod
    def resolve_email(petitioner, info):
        return petitioner.email or None

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return Petitioner.objects.filter(pk=id).first() if str(id).isdigit() else None


class EventType(graphene.ObjectType):
    """办理记录: one entry of a petition's append-only log in this office."""

    class Meta:
        name = "PetitionEvent"
        interfaces = (OfficeNode,)
        possible_types = (PetitionEvent,)

    kind = graphene.Field(EventKindEnum, required=True, description="What happened.")
    at = graphene.DateTime(required=True, description="When it happened.")
    actor = graphene.Field(
        OfficerType,
        description="The officer who did it; null for the system (deadlines, other offices).",
    )
    from_status = graphene.Field(
        PetitionStatusEnum, description="The status before, for a status change; else null."
    )
    to_status = graphene.Field(
        PetitionStatusEnum, description="The status after, for a status change; else null."
    )
    note = graphene.String(required=True, description="internal; never shown to petitioners")
    public = graphene.Boolean(required=True, description="shown by the progress lookup")
    data = graphene.JSONString(
        required=True,
        description="Details as a JSON object (e.g. an extension's new deadline).",
    )

    @staticmethod
    def resolve_actor(event, info):
        if not event.actor_id:
            return None
        if PetitionEvent.actor.is_cached(event):
            return event.actor
        return loaders(info).officer.load(event.actor_id)

    @staticmethod
    def resolve_from_status(event, info):
        return event.from_status or None

    @staticmethod
    def resolve_to_status(event, info):
        return event.to_status or None

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return PetitionEvent.objects.filter(pk=id).first() if str(id).isdigit() else None


PetitionEventConnection = connection(EventType, description="A page of a petition's events.")


class ReplyType(graphene.ObjectType):
    """处理意见 / 答复意见书: the office's written opinion to the petitioner."""

    class Meta:
        name = "Reply"

    opinion = graphene.String(required=True, description="The text of the opinion.")
    issued_at = graphene.DateTime(required=True, description="When it was issued.")


class EvaluationType(graphene.ObjectType):
    """满意度评价: the petitioner's rating of the handling."""

    class Meta:
        name = "Evaluation"

    satisfaction = graphene.Field(SatisfactionEnum, required=True, description="The rating.")
    comment = graphene.String(required=True, description="The petitioner's comment (may be empty).")
    recorded_at = graphene.DateTime(required=True, description="When the rating was recorded.")


class DueNextType(graphene.ObjectType):
    """What the office must do next and by when."""

    class Meta:
        name = "DueNext"

    step = graphene.Field(DueStepEnum, required=True, description="The step that is due.")
    due = graphene.Date(required=True, description="The day it is due (inclusive).")
    state = graphene.Field(
        DueStateEnum, required=True, description="How that deadline stands today."
    )


class TerminatedMatterType(graphene.ObjectType):
    """A matter terminated after re-review (终结), as a linked petition cites it."""

    class Meta:
        name = "TerminatedMatter"

    terminated_on = graphene.Date(required=True, description="The day of the re-review opinion.")
    recheck_reference = graphene.String(
        required=True, description="The re-review (复核) copy's reference number."
    )

    @staticmethod
    def resolve_terminated_on(matter, info):
        return timezone.localdate(matter.terminated_at)


class PetitionType(graphene.ObjectType):
    """信访件: one matter as registered and handled in this office."""

    class Meta:
        name = "Petition"
        interfaces = (OfficeNode,)
        possible_types = (Petition,)

    matter = graphene.Field(
        MATTER_TYPE,
        required=True,
        description="The matter (事项) every office's copy of this petition shares.",
    )
    reference = graphene.String(
        required=True, description="This office's reference number, e.g. 330106-2026-000123."
    )
    channel = graphene.Field(
        ChannelEnum, required=True, description="How the petition reached the office."
    )
    status = graphene.Field(
        PetitionStatusEnum, required=True, description="Where it is in this office's workflow."
    )
    category = graphene.Field(CategoryType, required=True, description="What it is about.")
    place = graphene.String(required=True, description="Where the problem is (free text).")
    place_code = graphene.String(
        required=True, description="The GB/T 2260 code of that place (may be empty)."
    )
    accused_body = graphene.String(
        required=True, description="The body or person the petition is about (may be empty)."
    )
    content = graphene.String(required=True, description="What the petitioner says.")
    request = graphene.String(required=True, description="What the petitioner asks for.")
    is_accusation = graphene.Boolean(
        required=True,
        description="检举控告: never passed, with the reporter's identity, to the body it accuses.",
    )
    is_collective = graphene.Boolean(required=True, description="集体访: several petitioners.")
    is_skip_level = graphene.Boolean(
        required=True,
        description="越级访: brought to this office over the head of the competent lower one.",
    )
    is_repeat = graphene.Boolean(
        required=True, description="重复访: confirmed to repeat an earlier matter."
    )
    registered_at = graphene.DateTime(required=True, description="When it was registered here.")
    route_due = graphene.Date(description="The routing deadline (15 days from receipt), or null.")
    accept_due = graphene.Date(
        description="The acceptance deadline (15 days from receipt), or null."
    )
    handling_due = graphene.Date(
        description="The handling deadline (60 days from acceptance, extensions included), or null."
    )
    next_due = graphene.Date(
        description="The deadline that applies now, or null (none in a hearing or once answered)."
    )
    due_state = graphene.Field(
        DueStateEnum, required=True, description="How `nextDue` stands today."
    )
    due_next = graphene.Field(DueNextType, description="what is due next and by when")
    extended = graphene.Boolean(
        required=True, description="延期: the handling deadline was extended (once at most)."
    )
    accepted_at = graphene.DateTime(description="When it was accepted (受理), or null.")
    replied_at = graphene.DateTime(description="When the opinion was issued, or null.")
    closed_at = graphene.DateTime(description="When it was closed (办结), or null.")
    satisfaction = graphene.Field(
        SatisfactionEnum, description="The petitioner's rating, or null before the evaluation."
    )
    version = graphene.Int(required=True, description="send it back with every mutation")
    handler = graphene.Field(OfficerType, description="The officer handling it (承办人), or null.")
    petitioners = graphene.List(
        graphene.NonNull(PetitionerType),
        required=True,
        description="The people on the petition, representatives first as registered.",
    )
    latest_event = graphene.Field(EventType, description="The most recent entry of its log.")
    timeline = connection_field(PetitionEventConnection, "Its log (办理记录), oldest first.")
    reply = graphene.Field(ReplyType, description="The office's opinion, or null before the reply.")
    evaluation = graphene.Field(
        EvaluationType, description="The petitioner's rating, or null before the evaluation."
    )
    available_transitions = graphene.List(
        graphene.NonNull(TransitionEnum), required=True, description="what you may do now"
    )
    terminated_matter = graphene.Field(
        TerminatedMatterType,
        description="终结: the terminated matter this petition is linked to, which leaves only a "
        "decline as NO_LONGER_ACCEPTED; null when none, or once a leader admitted new facts.",
    )
    new_facts_admitted_at = graphene.DateTime(
        description="When a leader admitted new facts and reasons (admitNewFacts), or null."
    )
    notices = notice_fields.notices_field()
    resolve_notices = staticmethod(notice_fields.resolve_notices)

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return selectors.petition_get(id)

    @staticmethod
    def resolve_category(petition, info):
        return category_of(petition.category)

    @staticmethod
    def resolve_due_state(petition, info):
        return deadlines.due_state(petition.next_due)

    @staticmethod
    def resolve_due_next(petition, info):
        return selectors.due_next(petition)

    @staticmethod
    def resolve_satisfaction(petition, info):
        return petition.satisfaction or None  # stored blank until rated

    # Lists attach these in bulk (selectors.attach_list_relations); elsewhere, dataloaders batch.
    @staticmethod
    def resolve_handler(petition, info):
        if not petition.handler_id:
            return None
        if Petition.handler.is_cached(petition):
            return petition.handler
        return loaders(info).officer.load(petition.handler_id)

    @staticmethod
    def resolve_petitioners(petition, info):
        if hasattr(petition, "list_petitioners"):
            return petition.list_petitioners
        return loaders(info).petitioners.load(petition.pk)

    @staticmethod
    def resolve_latest_event(petition, info):
        if hasattr(petition, "list_latest_event"):
            return petition.list_latest_event
        return loaders(info).latest_event.load(petition.pk)

    @staticmethod
    def resolve_matter(petition, info):
        return Matter(petition.matter_id)

    @staticmethod
    def resolve_timeline(petition, info, **page):
        events = PetitionEvent.objects.filter(petition_id=petition.pk).select_related("actor")
        return keyset_page(events, key=("at", "id"), **page)

    @staticmethod
    def resolve_reply(petition, info):
        return Reply.objects.filter(petition_id=petition.pk).first()

    @staticmethod
    def resolve_evaluation(petition, info):
        return Evaluation.objects.filter(petition_id=petition.pk).first()

    # A page's terminations are read together (loaders.termination), never per petition.
    @staticmethod
    def resolve_available_transitions(petition, info):
        steps = wf.available(petition, info.context.user)
        if not finality.DECIDED_BY_TERMINATION.intersection(steps):
            return [t.value for t in steps]
        return then(
            loaders(info).termination.load(petition),
            lambda found: [t.value for t in finality.available(petition, steps, found)],
        )

    @staticmethod
    def resolve_terminated_matter(petition, info):
        return loaders(info).termination.load(petition)


PetitionConnection = connection(
    PetitionType,
    description="A page of petitions (keyset pagination: `first`/`after` or `last`/`before`).",
)


def _node_fields(info) -> dict[str, set[str]] | None:
    """The fields asked for on `edges { node { … } }`, each with its own subfields, or None when
    fragments make it unclear (then everything is loaded)."""

    def fields(selection_set) -> dict:
        found = {}
        for selection in selection_set.selections if selection_set else []:
            if selection.kind != "field":
                raise LookupError
            found[selection.name.value] = selection.selection_set
        return found

    try:
        wanted: dict[str, set[str]] = {}
        for field_node in info.field_nodes:
            edges = fields(field_node.selection_set).get("edges")
            node = fields(edges).get("node") if edges else None
            for name, selection_set in fields(node).items():
                wanted.setdefault(name, set()).update(fields(selection_set))
        return wanted
    except LookupError:
        return None


class PetitionStatusCountType(graphene.ObjectType):
    class Meta:
        name = "PetitionStatusCount"
        description = "The number of the office's petitions in one status."

    status = graphene.Field(PetitionStatusEnum, required=True, description="the status")
    count = graphene.Int(required=True, description="petitions in it now")


class PetitionFilterInput(graphene.InputObjectType):
    """Narrows the petition list; every given condition must hold."""

    statuses = graphene.List(
        graphene.NonNull(PetitionStatusEnum), description="Only petitions in one of these statuses."
    )
    channels = graphene.List(
        graphene.NonNull(ChannelEnum),
        description="Only petitions that came by one of these channels.",
    )
    categories = graphene.List(
        graphene.NonNull(graphene.String), description="codes: 01.01, or a whole top level: 01"
    )
    handler_id = graphene.ID(description="Only petitions handled by this officer (an Officer ID).")
    overdue = graphene.Boolean(
        description="true: only overdue petitions; false: only those not overdue."
    )
    due_states = graphene.List(
        graphene.NonNull(DueStateEnum),
        description="only petitions whose current deadline stands so (DUE_SOON: within 3 days)",
    )
    registered_from = graphene.Date(description="Registered on or after this day.")
    registered_to = graphene.Date(description="inclusive")
    is_repeat = graphene.Boolean(description="重复访: true only repeats, false none")
    is_skip_level = graphene.Boolean(description="越级访: true only skip-level, false none")
    is_collective = graphene.Boolean(description="集体访: true only collective, false none")
    is_accusation = graphene.Boolean(description="检举控告: true only accusations, false none")
    awaiting_me = graphene.Boolean(
        description="true: only petitions waiting for a decision the logged-in officer's roles "
        "take (route, accept, assign a handler), the workbench's 待我决定"
    )


def _filters(data, officer) -> selectors.PetitionFilters:
    data = data or {}
    handler_id = None
    if data.get("handler_id"):
        handler_id = decode_int(
            data["handler_id"], expected="Officer", field="handlerId", missing="no such officer"
        )
    return selectors.PetitionFilters(
        statuses=[enum_value(s) for s in data.get("statuses") or []],
        channels=[enum_value(c) for c in data.get("channels") or []],
        categories=list(data.get("categories") or []),
        handler_id=handler_id,
        overdue=data.get("overdue"),
        registered_from=data.get("registered_from"),
        registered_to=data.get("registered_to"),
        due_states=[enum_value(d) for d in data.get("due_states") or []],
        **{flag: data.get(flag) for flag in selectors.FLAGS},
        awaiting=officer if data.get("awaiting_me") else None,
    )


# --- the petitioner's progress lookup and metrics -----------------------------------------------


class ProgressDocumentType(graphene.ObjectType):
    """A document sent to the petitioner (e.g. the notice of acceptance)."""

    class Meta:
        name = "ProgressDocument"

    kind = graphene.String(
        required=True,
        description="Which document: acceptance_notice, decline, transfer_notice, reply, ….",
    )
    title = graphene.String(required=True, description="Its title.")
    text = graphene.String(required=True, description="Its text.")
    sent_at = graphene.DateTime(required=True, description="When it was sent.")
    office = graphene.String(required=True, description="The office that issued it.")


class ProgressStepType(graphene.ObjectType):
    """A step the petitioner may see."""

    class Meta:
        name = "ProgressStep"

    kind = graphene.Field(EventKindEnum, required=True, description="What happened.")
    at = graphene.DateTime(required=True, description="When it happened.")
    office = graphene.String(required=True, description="The office where it happened.")


class ProgressOfficeType(graphene.ObjectType):
    """An office the matter passed through, with its own reference number and dates."""

    class Meta:
        name = "ProgressOffice"

    name = graphene.String(required=True, description="The office's name.")
    code = graphene.String(required=True, description="Its division code.")
    reference = graphene.String(required=True, description="The matter's reference there.")
    arrived_by = graphene.Field(
        HandoffKindEnum, description="How the matter reached it; null where it was registered."
    )
    received_at = graphene.DateTime(required=True, description="When it was registered there.")
    status = graphene.String(required=True, description="Its status there, in Chinese.")
    accepted_at = graphene.DateTime(description="When it was accepted there, or null.")
    replied_at = graphene.DateTime(description="When its opinion was issued there, or null.")
    closed_at = graphene.DateTime(description="When it was closed there, or null.")
    sent_on_at = graphene.DateTime(
        description="When it transferred or assigned the matter on, or null."
    )
    next_due = graphene.Date(
        description="The time limit that runs there now (to route, to decide on acceptance, or "
        "to issue the opinion, by its status), or null once it answered or passed the matter on."
    )
    accept_due = graphene.Date(
        description="By when it must decide whether to accept the matter, or null."
    )
    handling_due = graphene.Date(
        description="By when its opinion is due (the extended day when extended), or null."
    )
    extended = graphene.Boolean(
        required=True, description="Whether its handling limit was extended (延期, at most once)."
    )

    @staticmethod
    def resolve_arrived_by(root, info):
        return root.arrived_by or None


class PetitionProgressType(graphene.ObjectType):
    """What a petitioner may see about their matter (no notes, officers or other people): the
    dates at the top are those of the copy the reference names; the path, steps and documents
    span every office the matter reached."""

    class Meta:
        name = "PetitionProgress"

    reference = graphene.String(required=True, description="The petition's reference number.")
    status = graphene.String(
        required=True,
        description="The status as told to the petitioner, in Chinese (已受理, 办理中, …).",
    )
    registered_at = graphene.DateTime(required=True, description="When it was registered.")
    routed_at = graphene.DateTime(description="When it was routed for handling, or null.")
    accepted_at = graphene.DateTime(description="When it was accepted, or null.")
    declined_at = graphene.DateTime(description="When it was declined, or null.")
    extended_at = graphene.DateTime(description="When the handling deadline was extended, or null.")
    extended_until = graphene.Date(description="The extended handling deadline, or null.")
    replied_at = graphene.DateTime(description="When the opinion was issued, or null.")
    offices = graphene.List(
        graphene.NonNull(ProgressOfficeType),
        required=True,
        description="Every office the matter passed through, in order.",
    )
    handling_office = graphene.Field(
        ProgressOfficeType, required=True, description="The office that has the matter now."
    )
    steps = graphene.List(
        graphene.NonNull(ProgressStepType),
        required=True,
        description="The public steps at every office, oldest first.",
    )
    documents = graphene.List(
        graphene.NonNull(ProgressDocumentType),
        required=True,
        description="The documents sent to the petitioner by every office, oldest first.",
    )


class FiguresType(graphene.ObjectType):
    """Counts of an office's petitions over a period, and the rate derived from them."""

    class Meta:
        name = "MetricFigures"

    received = graphene.Int(required=True, description="Petitions registered in the period.")
    first_time = graphene.Int(required=True, description="初信初访")
    repeat = graphene.Int(required=True, description="Of them, repeats of an earlier matter.")
    accepted = graphene.Int(required=True, description="Accepted in the period.")
    accepted_on_time = graphene.Int(
        required=True, description="Of them, accepted by their acceptance deadline."
    )
    completed = graphene.Int(required=True, description="Answered (opinion issued) in the period.")
    completed_on_time = graphene.Int(
        required=True, description="Of them, answered by their handling deadline."
    )
    extended = graphene.Int(required=True, description="Extended in the period.")
    evaluated = graphene.Int(required=True, description="Rated by the petitioner in the period.")
    satisfied = graphene.Int(required=True, description="satisfied or basically satisfied")
    satisfaction_rate = graphene.Float(description="satisfied / evaluated")


class BreakdownType(graphene.ObjectType):
    """The figures for one channel or one category."""

    class Meta:
        name = "MetricBreakdown"

    key = graphene.String(
        required=True,
        description="The channel value (e.g. visit) or the category code (e.g. 01.01).",
    )
    figures = graphene.Field(FiguresType, required=True, description="The figures for it.")


class OfficeMetricsType(graphene.ObjectType):
    """This office's figures over a period, in total and broken down."""

    class Meta:
        name = "OfficeMetrics"

    start = graphene.Date(required=True, description="The first day of the period.")
    end = graphene.Date(required=True, description="The last day of the period (inclusive).")
    total = graphene.Field(
        FiguresType, required=True, description="The figures for the whole office."
    )
    by_channel = graphene.List(
        graphene.NonNull(BreakdownType), required=True, description="The figures per channel."
    )
    by_category = graphene.List(
        graphene.NonNull(BreakdownType),
        required=True,
        description="The figures per top-level category.",
    )


class Query(graphene.ObjectType):
    node = OfficeNode.Field(description="An object of this office by its global ID.")
    nodes = NodesField()
    petitions = connection_field(
        PetitionConnection,
        "The office's petitions, newest first by default.",
        filter=PetitionFilterInput(description="Only the petitions that match."),
        order_by=PetitionOrderingEnum(
            default_value=selectors.Ordering.REGISTERED_DESC.value,
            description="The order of the list.",
        ),
    )
    petition = graphene.Field(
        PetitionType,
        id=graphene.ID(required=True, description="The petition's global ID."),
        description="A petition of this office by its ID, or null.",
    )
    petition_by_reference = graphene.Field(
        PetitionType,
        reference=graphene.String(required=True, description="The reference number."),
        description="A petition of this office by its reference number, or null.",
    )
    petition_progress = graphene.Field(
        PetitionProgressType,
        reference=graphene.String(required=True, description="The reference number."),
        query_code=graphene.String(
            required=True, description="The query code the petitioner was given (查询码)."
        ),
        description="Public (no login): a petitioner's lookup with the query code (查询码), "
        "by any reference of the matter, from any office host",
    )
    office_metrics = graphene.Field(
        OfficeMetricsType,
        required=True,
        start=graphene.Date(required=True, description="The first day of the period."),
        end=graphene.Date(
            required=True, description="The last day (inclusive, at most 10 years on)."
        ),
        description="This office's figures over a period (leaders and supervisors).",
    )
    categories = graphene.List(
        graphene.NonNull(CategoryType), required=True, description="The category taxonomy, by code."
    )
    petition_counts = graphene.List(
        graphene.NonNull(lambda: PetitionStatusCountType),
        required=True,
        description="How many of the office's petitions are in each status (every status listed)",
    )

    @staticmethod
    def resolve_petitions(
        root, info, first=None, after=None, last=None, before=None, filter=None, order_by=None
    ):
        officer = current_officer(info)
        first = None if first is None else page_size(first)
        last = None if last is None else page_size(last, field="last")
        filters = _filters(filter, officer)
        ordering = selectors.Ordering(enum_value(order_by) or selectors.Ordering.REGISTERED_DESC)
        page = selectors.petitions_page(
            filters=filters, ordering=ordering, first=first, after=after, last=last, before=before
        )
        wanted = _node_fields(info)
        selectors.attach_list_relations(
            page.items,
            petitioners=wanted is None or "petitioners" in wanted,
            # Decrypting ID and phone numbers is most of a petitioner row's cost: only on request.
            petitioner_numbers=wanted is None
            or bool({"idNumberMasked", "phone", "email"} & wanted.get("petitioners", set())),
            latest_event=wanted is None or "latestEvent" in wanted,
        )
        return Page(
            items=page.items,
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            cursor=lambda p: selectors.encode_cursor(p, ordering),
            count=lambda: selectors.petitions_count(filters=filters),
        )

    @staticmethod
    def resolve_petition(root, info, id):
        current_officer(info)
        return selectors.petition_get(decode_pk(id, expected="Petition"))

    @staticmethod
    def resolve_petition_by_reference(root, info, reference):
        current_officer(info)
        petition = Petition.objects.filter(reference=reference).only("id").first()
        return selectors.petition_get(petition.pk) if petition else None

    @staticmethod
    def resolve_petition_progress(root, info, reference, query_code):
        return progress.petition_progress(
            reference=reference, query_code=query_code, client=client_address(info)
        )

    @staticmethod
    def resolve_office_metrics(root, info, start, end):
        current_officer(info, Role.LEADER, Role.SUPERVISOR)
        if end < start or (end - start) > datetime.timedelta(days=3660):
            raise ValidationError("the period must run forwards, at most 10 years", field="end")
        return metrics.office_metrics(start=start, end=end)

    @staticmethod
    def resolve_petition_counts(root, info):
        current_officer(info)
        return [
            PetitionStatusCountType(status=status, count=count)
            for status, count in selectors.petition_status_counts().items()
        ]

    @staticmethod
    def resolve_categories(root, info):
        return [CategoryType(code=code, name=name) for code, name in taxonomy.names().items()]


# --- mutations: one per transition ---------------------------------------------------------------


def _petition_pk(global_id: str) -> str:
    return decode_pk(global_id, expected="Petition")


def officer_by_global_id(global_id: str, *, field: str) -> Officer:
    """An officer of this office by global ID, or NOT_FOUND."""
    missing = "no such officer in this office"
    officer = Officer.objects.filter(
        pk=decode_int(global_id, expected="Officer", field=field, missing=missing)
    ).first()
    if officer is None:
        raise NotFound(missing, field=field)
    return officer


class PetitionerInputType(graphene.InputObjectType):
    """A person on a petition being registered."""

    class Meta:
        name = "PetitionerInput"

    name = graphene.String(required=True, description="The person's name.")
    id_number = graphene.String(description="18 characters, GB 11643 check digit")
    phone = graphene.String(description="A phone number, 5 to 15 digits.")
    email = graphene.String(description="An e-mail address, where e-mail notices go.")
    address = graphene.String(description="The address.")
    is_representative = graphene.Boolean(
        default_value=False,
        description="One of the (at most five) representatives of a collective petition.",
    )


class RegisterPetition(graphene.Mutation):
    """登记: register a petition; the payload's queryCode is shown once to the petitioner."""

    class Meta:
        name = "RegisterPetitionPayload"

    class Arguments:
        channel = ChannelEnum(required=True, description="How the petition reached the office.")
        category = graphene.String(
            required=True, description="The category code, e.g. 01.01 (see `categories`)."
        )
        place = graphene.String(required=True, description="Where the problem is.")
        place_code = graphene.String(description="The GB/T 2260 code of that place.")
        accused_body = graphene.String(description="The body or person the petition is about.")
        accused_kind = AccusedKindEnum(description="What it accuses; required with isAccusation.")
        accused_division_code = graphene.String(
            description="Where the accused body sits (GB/T 2260, or a town's 9 or a village's "
            "12-digit code); required with isAccusation."
        )
        content = graphene.String(required=True, description="What the petitioner says.")
        request = graphene.String(description="What the petitioner asks for.")
        is_accusation = graphene.Boolean(
            description="检举控告: an accusation (the reporter's identity is protected)."
        )
        is_skip_level = graphene.Boolean(
            description="越级访: brought here over the head of the competent lower office."
        )
        petitioners = graphene.List(
            graphene.NonNull(PetitionerInputType),
            required=True,
            description="The people on the petition (several: a collective petition).",
        )
        received_on = graphene.Date(
            description="收信/来访日期: the day the letter or visit was received (default today; "
            "not in the future, at most the office's configured number of days back)"
        )
        idempotency_key = graphene.String(
            default_value="",
            description="a retry with the same key and payload returns the first registration; "
            "another payload with the key is refused with IDEMPOTENCY_KEY_REUSED",
        )

    petition = graphene.Field(PetitionType, required=True, description="The registered petition.")
    query_code = graphene.String(
        required=True,
        description="查询码: the code the petitioner looks progress up with; shown only this once.",
    )

    @staticmethod
    def mutate(root, info, channel, petitioners, idempotency_key="", accused_kind=None, **fields):
        officer = current_officer(info)
        if accused_kind is not None:
            fields["accused_kind"] = enum_value(accused_kind)
        data = services.PetitionInput(
            channel=enum_value(channel),
            petitioners=[
                services.PetitionerInput(
                    name=p.get("name", ""),
                    id_number=p.get("id_number") or "",
                    phone=p.get("phone") or "",
                    email=p.get("email") or "",
                    address=p.get("address") or "",
                    is_representative=bool(p.get("is_representative")),
                )
                for p in petitioners
            ],
            **{k: v for k, v in fields.items() if v is not None},
        )
        registration = services.petition_register(
            data=data, officer=officer, idempotency_key=idempotency_key
        )
        return RegisterPetition(petition=registration.petition, query_code=registration.query_code)


def _transition_mutation(name: str, service, doc: str, **arguments):
    """A mutation class that parses `id`, `version` and its own arguments and calls one service."""

    def mutate(root, info, id, version, **kwargs):
        officer = current_officer(info)
        for key, value in list(kwargs.items()):
            if value is None:
                del kwargs[key]
            elif key == "handler_id":
                kwargs["handler"] = officer_by_global_id(kwargs.pop(key), field="handlerId")
            else:
                kwargs[key] = enum_value(value)
        petition = service(petition=_petition_pk(id), officer=officer, version=version, **kwargs)
        return mutation(petition=petition)

    args = type(
        "Arguments",
        (),
        {
            "id": graphene.ID(required=True, description="The petition's global ID."),
            "version": graphene.Int(
                required=True,
                description="The petition's `version` as loaded (else STALE_VERSION).",
            ),
            **arguments,
        },
    )
    mutation = type(
        name,
        (graphene.Mutation,),
        {
            "__doc__": doc,
            "Meta": type("Meta", (), {"name": f"{name}Payload"}),
            "Arguments": args,
            "petition": graphene.Field(
                PetitionType, required=True, description="The petition after the step."
            ),
            "mutate": staticmethod(mutate),
        },
    )
    return mutation


def _note():
    return graphene.String(description="An internal note for the log (never shown to petitioners).")


def _day(what: str):
    return graphene.Date(description=f"The day the hearing {what} (default today).")


RoutePetition = _transition_mutation(
    "RoutePetition",
    services.petition_route,
    "交由本机关办理: to handle here",
    note=_note(),
)
DeclinePetition = _transition_mutation(
    "DeclinePetition",
    services.petition_decline,
    "不予受理 with the reason and where to go",
    reason=graphene.String(required=True, description="Why it is not accepted, for the notice."),
    redirect_channel=RedirectChannelEnum(
        required=True, description="Where the petitioner should go instead."
    ),
    redirect_authority=graphene.String(
        description="The competent authority, when the channel is OTHER_AUTHORITY."
    ),
    note=_note(),
)
AcceptPetition = _transition_mutation(
    "AcceptPetition",
    services.petition_accept,
    "受理: accept; starts the 60-day handling clock",
    note=_note(),
)
AssignPetition = _transition_mutation(
    "AssignPetition",
    services.petition_assign,
    "Assign (or reassign) to a handler",
    handler_id=graphene.ID(required=True, description="The handler's Officer ID."),
    note=_note(),
)
ExtendPetition = _transition_mutation(
    "ExtendPetition",
    services.petition_extend,
    "延期: once, at most 30 days, by a leader",
    days=graphene.Int(required=True, description="Days added to the handling deadline (1 to 30)."),
    reason=graphene.String(required=True, description="Why, as the petitioner is told it."),
)
StartHearing = _transition_mutation(
    "StartHearing",
    services.petition_start_hearing,
    "听证: the handling clock stops",
    on=_day("started"),
    note=_note(),
)
EndHearing = _transition_mutation(
    "EndHearing",
    services.petition_end_hearing,
    "The hearing ended; the deadline moves",
    on=_day("ended"),
    note=_note(),
)
ReplyPetition = _transition_mutation(
    "ReplyPetition",
    services.petition_reply,
    "出具处理意见: the written opinion",
    opinion=graphene.String(required=True, description="The written opinion, as sent."),
)
EvaluatePetition = _transition_mutation(
    "EvaluatePetition",
    services.petition_evaluate,
    "满意度评价: the petitioner's rating",
    satisfaction=SatisfactionEnum(required=True, description="The petitioner's rating."),
    comment=graphene.String(description="The petitioner's comment."),
)
TerminatePetition = _transition_mutation(
    "TerminatePetition",
    services.petition_terminate,
    "终结: after re-review (复核)",
    recheck_reference=graphene.String(required=True, description="The reference number."),
    note=_note(),
)
LinkTerminatedMatter = _transition_mutation(
    "LinkTerminatedMatter",
    services.petition_link_terminated,
    "关联已终结事项: the same facts and reasons as a matter terminated after re-review",
    reference=graphene.String(
        required=True, description="Any reference number of the terminated matter."
    ),
    note=_note(),
)
AdmitNewFacts = _transition_mutation(
    "AdmitNewFacts",
    services.petition_admit_new_facts,
    "新的事实和理由: a leader lets a petition linked to a terminated matter go on (audited)",
    reasons=graphene.String(required=True, description="The new facts and reasons."),
)


class Mutation(graphene.ObjectType):
    register_petition = RegisterPetition.Field(required=True)
    link_terminated_matter = LinkTerminatedMatter.Field(required=True)
    admit_new_facts = AdmitNewFacts.Field(required=True)
    route_petition = RoutePetition.Field(required=True)
    decline_petition = DeclinePetition.Field(required=True)
    accept_petition = AcceptPetition.Field(required=True)
    assign_petition = AssignPetition.Field(required=True)
    extend_petition = ExtendPetition.Field(required=True)
    start_hearing = StartHearing.Field(required=True)
    end_hearing = EndHearing.Field(required=True)
    reply_petition = ReplyPetition.Field(required=True)
    evaluate_petition = EvaluatePetition.Field(required=True)
    terminate_petition = TerminatePetition.Field(required=True)
