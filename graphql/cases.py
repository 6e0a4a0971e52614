"""Petitions inside one office: types, the list and detail queries, one mutation per transition,
the petitioners' progress lookup and office metrics. Thin: services change, selectors read."""

import datetime

import graphene
from graphene import relay

from xinfang.graphql.arguments import enum_type, enum_value, page_size
from xinfang.graphql.auth import client_address, current_officer
from xinfang.graphql.loaders import loaders
from xinfang.graphql.nodes import OfficeNode, decode, decode_int
from xinfang.platform.accounts.models import Officer, Role
from xinfang.platform.cases import deadlines, metrics, progress, selectors, services, taxonomy
from xinfang.platform.cases import workflow as wf
from xinfang.platform.cases.models import (
    AccusedKind,
    Channel,
    Evaluation,
    Petition,
    PetitionEvent,
    RedirectChannel,
    Reply,
    Satisfaction,
    Status,
)
from xinfang.platform.errors import NotFound, ValidationError

ChannelEnum = enum_type(
    "Channel", Channel, "来信 letter, 来访 visit, 网上 online, 电话 phone, 领导信箱"
)
StatusEnum = enum_type("PetitionStatus", Status, "Where a petition is in its office's workflow")
AccusedKindEnum = enum_type(
    "AccusedKind",
    AccusedKind,
    "What an accusation (检举控告) accuses: decides who may not learn the reporter",
)
SatisfactionEnum = enum_type("Satisfaction", Satisfaction, "满意 / 基本满意 / 不满意")
RedirectEnum = enum_type(
    "RedirectChannel", RedirectChannel, "Where a declined petitioner should go"
)
TransitionEnum = graphene.Enum(
    "Transition", [(t.value.upper(), t.value) for t in wf.Transition], description="Workflow steps"
)
DueStateEnum = graphene.Enum(
    "DueState",
    [("NONE", "none"), ("ON_TIME", "on_time"), ("DUE_SOON", "due_soon"), ("OVERDUE", "overdue")],
    description="How the current deadline stands",
)
OrderingEnum = graphene.Enum(
    "PetitionOrdering", [(o.value.upper(), o.value) for o in selectors.Ordering]
)


class OfficerType(graphene.ObjectType):
    class Meta:
        name = "Officer"
        interfaces = (OfficeNode,)
        possible_types = (Officer,)

    username = graphene.String(required=True)
    full_name = graphene.String(required=True)
    roles = graphene.List(graphene.NonNull(graphene.String), required=True)

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return Officer.objects.filter(pk=id).first() if str(id).isdigit() else None


class CategoryType(graphene.ObjectType):
    class Meta:
        name = "Category"

    code = graphene.String(required=True, description="second-level code, e.g. 01.01")
    name = graphene.String(required=True, description="full name, e.g. 城乡建设/征地拆迁")


class PetitionerType(graphene.ObjectType):
    class Meta:
        name = "Petitioner"

    name = graphene.String(required=True)
    id_number_masked = graphene.String(description="e.g. 330106********123X")
    phone = graphene.String()
    address = graphene.String(required=True)
    is_representative = graphene.Boolean(required=True)
    person_key = graphene.String(description="HMAC of the ID number, for matching")

    @staticmethod
    def resolve_id_number_masked(petitioner, info):
        number = petitioner.id_number
        return f"{number[:6]}{'*' * 8}{number[-4:]}" if number else None

    @staticmethod
    def resolve_phone(petitioner, info):
        return petitioner.phone or None


class EventType(graphene.ObjectType):
    class Meta:
        name = "PetitionEvent"

    kind = graphene.String(required=True)
    at = graphene.DateTime(required=True)
    actor = graphene.Field(OfficerType)
    from_status = graphene.String(required=True)
    to_status = graphene.String(required=True)
    note = graphene.String(required=True, description="internal; never shown to petitioners")
    public = graphene.Boolean(required=True, description="shown by the progress lookup")
    data = graphene.JSONString(required=True)

    @staticmethod
    def resolve_actor(event, info):
        if not event.actor_id:
            return None
        if PetitionEvent.actor.is_cached(event):
            return event.actor
        return loaders(info).officer.load(event.actor_id)


class ReplyType(graphene.ObjectType):
    class Meta:
        name = "Reply"

    opinion = graphene.String(required=True)
    issued_at = graphene.DateTime(required=True)


class EvaluationType(graphene.ObjectType):
    class Meta:
        name = "Evaluation"

    satisfaction = graphene.Field(SatisfactionEnum, required=True)
    comment = graphene.String(required=True)
    recorded_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_satisfaction(evaluation, info):
        return str(evaluation.satisfaction)


class DueNextType(graphene.ObjectType):
    class Meta:
        name = "DueNext"

    step = graphene.String(required=True, description="route, accept or reply")
    due = graphene.Date(required=True)
    state = graphene.Field(DueStateEnum, required=True)


class PetitionType(graphene.ObjectType):
    class Meta:
        name = "Petition"
        interfaces = (OfficeNode,)
        possible_types = (Petition,)

    matter_id = graphene.UUID(required=True)
    reference = graphene.String(required=True)
    channel = graphene.Field(ChannelEnum, required=True)
    status = graphene.Field(StatusEnum, required=True)
    category = graphene.Field(CategoryType, required=True)
    place = graphene.String(required=True)
    place_code = graphene.String(required=True)
    accused_body = graphene.String(required=True)
    content = graphene.String(required=True)
    request = graphene.String(required=True)
    is_accusation = graphene.Boolean(required=True)
    is_collective = graphene.Boolean(required=True)
    is_skip_level = graphene.Boolean(required=True)
    is_repeat = graphene.Boolean(required=True)
    registered_at = graphene.DateTime(required=True)
    route_due = graphene.Date()
    accept_due = graphene.Date()
    handling_due = graphene.Date()
    next_due = graphene.Date()
    due_state = graphene.Field(DueStateEnum, required=True)
    due_next = graphene.Field(DueNextType, description="what is due next and by when")
    extended = graphene.Boolean(required=True)
    accepted_at = graphene.DateTime()
    replied_at = graphene.DateTime()
    closed_at = graphene.DateTime()
    satisfaction = graphene.Field(SatisfactionEnum)
    version = graphene.Int(required=True, description="send it back with every mutation")
    handler = graphene.Field(OfficerType)
    petitioners = graphene.List(graphene.NonNull(PetitionerType), required=True)
    latest_event = graphene.Field(EventType)
    timeline = graphene.List(graphene.NonNull(EventType), required=True)
    reply = graphene.Field(ReplyType)
    evaluation = graphene.Field(EvaluationType)
    available_transitions = graphene.List(
        graphene.NonNull(TransitionEnum), required=True, description="what you may do now"
    )

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return selectors.petition_get(id)

    @staticmethod
    def resolve_category(petition, info):
        return CategoryType(
            code=petition.category, name=taxonomy.names().get(petition.category, "")
        )

    @staticmethod
    def resolve_due_state(petition, info):
        return deadlines.due_state(petition.next_due)

    @staticmethod
    def resolve_due_next(petition, info):
        return selectors.due_next(petition)

    # Fresh instances hold Django choice members, which graphene cannot map: send the values.
    @staticmethod
    def resolve_status(petition, info):
        return str(petition.status)

    @staticmethod
    def resolve_channel(petition, info):
        return str(petition.channel)

    @staticmethod
    def resolve_satisfaction(petition, info):
        return str(petition.satisfaction) or None

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
    def resolve_timeline(petition, info):
        return petition.events.order_by("at", "id")

    @staticmethod
    def resolve_reply(petition, info):
        return Reply.objects.filter(petition_id=petition.pk).first()

    @staticmethod
    def resolve_evaluation(petition, info):
        return Evaluation.objects.filter(petition_id=petition.pk).first()

    @staticmethod
    def resolve_available_transitions(petition, info):
        return [t.value for t in wf.available(petition, info.context.user)]


class PetitionEdge(graphene.ObjectType):
    cursor = graphene.String(required=True)
    node = graphene.Field(PetitionType, required=True)


class PetitionConnection(graphene.ObjectType):
    """A page of petitions (Relay keyset pagination: `first`/`after` or `last`/`before`)."""

    edges = graphene.List(graphene.NonNull(PetitionEdge), required=True)
    page_info = graphene.Field(relay.PageInfo, required=True)
    total_count = graphene.Int(
        required=True, description="counts every matching petition: ask only when you need it"
    )

    @staticmethod
    def resolve_edges(root, info):
        page = root["page"]
        return [
            PetitionEdge(cursor=selectors.encode_cursor(p, page.ordering), node=p)
            for p in page.items
        ]

    @staticmethod
    def resolve_page_info(root, info):
        page = root["page"]
        return relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=selectors.encode_cursor(page.items[0], page.ordering)
            if page.items
            else None,
            end_cursor=selectors.encode_cursor(page.items[-1], page.ordering)
            if page.items
            else None,
        )

    @staticmethod
    def resolve_total_count(root, info):
        return selectors.petitions_count(filters=root["filters"])


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


class PetitionFilterInput(graphene.InputObjectType):
    statuses = graphene.List(graphene.NonNull(StatusEnum))
    channels = graphene.List(graphene.NonNull(ChannelEnum))
    categories = graphene.List(
        graphene.NonNull(graphene.String), description="codes: 01.01, or a whole top level: 01"
    )
    handler_id = graphene.ID()
    overdue = graphene.Boolean()
    registered_from = graphene.Date()
    registered_to = graphene.Date(description="inclusive")


def _filters(data) -> selectors.PetitionFilters:
    data = data or {}
    handler_id = None
    if data.get("handler_id"):
        handler_id = int(decode(data["handler_id"], expected="Officer", field="handlerId")[1])
    return selectors.PetitionFilters(
        statuses=[enum_value(s) for s in data.get("statuses") or []],
        channels=[enum_value(c) for c in data.get("channels") or []],
        categories=list(data.get("categories") or []),
        handler_id=handler_id,
        overdue=data.get("overdue"),
        registered_from=data.get("registered_from"),
        registered_to=data.get("registered_to"),
    )


# --- the petitioner's progress lookup and metrics -----------------------------------------------


class ProgressDocumentType(graphene.ObjectType):
    class Meta:
        name = "ProgressDocument"

    title = graphene.String(required=True)
    text = graphene.String(required=True)
    sent_at = graphene.DateTime(required=True)


class ProgressStepType(graphene.ObjectType):
    class Meta:
        name = "ProgressStep"

    kind = graphene.String(required=True)
    at = graphene.DateTime(required=True)


class PetitionProgressType(graphene.ObjectType):
    """What a petitioner may see about their own petition (no notes, officers or other people)."""

    class Meta:
        name = "PetitionProgress"

    reference = graphene.String(required=True)
    status = graphene.String(required=True)
    registered_at = graphene.DateTime(required=True)
    routed_at = graphene.DateTime()
    accepted_at = graphene.DateTime()
    declined_at = graphene.DateTime()
    extended_at = graphene.DateTime()
    extended_until = graphene.Date()
    replied_at = graphene.DateTime()
    steps = graphene.List(graphene.NonNull(ProgressStepType), required=True)
    documents = graphene.List(graphene.NonNull(ProgressDocumentType), required=True)


class FiguresType(graphene.ObjectType):
    class Meta:
        name = "MetricFigures"

    received = graphene.Int(required=True)
    first_time = graphene.Int(required=True, description="初信初访")
    repeat = graphene.Int(required=True)
    accepted = graphene.Int(required=True)
    accepted_on_time = graphene.Int(required=True)
    completed = graphene.Int(required=True)
    completed_on_time = graphene.Int(required=True)
    extended = graphene.Int(required=True)
    evaluated = graphene.Int(required=True)
    satisfied = graphene.Int(required=True, description="satisfied or basically satisfied")
    satisfaction_rate = graphene.Float(description="satisfied / evaluated")


class BreakdownType(graphene.ObjectType):
    class Meta:
        name = "MetricBreakdown"

    key = graphene.String(required=True)
    figures = graphene.Field(FiguresType, required=True)


class OfficeMetricsType(graphene.ObjectType):
    class Meta:
        name = "OfficeMetrics"

    start = graphene.Date(required=True)
    end = graphene.Date(required=True)
    total = graphene.Field(FiguresType, required=True)
    by_channel = graphene.List(graphene.NonNull(BreakdownType), required=True)
    by_category = graphene.List(graphene.NonNull(BreakdownType), required=True)


class Query(graphene.ObjectType):
    node = OfficeNode.Field()
    petitions = graphene.Field(
        PetitionConnection,
        required=True,
        first=graphene.Int(description="page size going forward (default 20)"),
        after=graphene.String(),
        last=graphene.Int(description="page size going backward, with `before`"),
        before=graphene.String(),
        filter=PetitionFilterInput(),
        order_by=OrderingEnum(default_value=selectors.Ordering.REGISTERED_DESC.value),
        description="The office's petitions, newest first by default",
    )
    petition = graphene.Field(PetitionType, id=graphene.ID(required=True))
    petition_by_reference = graphene.Field(PetitionType, reference=graphene.String(required=True))
    petition_progress = graphene.Field(
        PetitionProgressType,
        reference=graphene.String(required=True),
        query_code=graphene.String(required=True),
        description="Public (no login): a petitioner's lookup with the query code (查询码)",
    )
    office_metrics = graphene.Field(
        OfficeMetricsType,
        required=True,
        start=graphene.Date(required=True),
        end=graphene.Date(required=True),
    )
    categories = graphene.List(graphene.NonNull(CategoryType), required=True)

    @staticmethod
    def resolve_petitions(
        root, info, first=None, after=None, last=None, before=None, filter=None, order_by=None
    ):
        current_officer(info)
        first = None if first is None else page_size(first)
        last = None if last is None else page_size(last, field="last")
        filters = _filters(filter)
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
            or bool({"idNumberMasked", "phone"} & wanted.get("petitioners", set())),
            latest_event=wanted is None or "latestEvent" in wanted,
        )
        return {"page": page, "filters": filters}

    @staticmethod
    def resolve_petition(root, info, id):
        current_officer(info)
        return selectors.petition_get(decode(id, expected="Petition")[1])

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
    def resolve_categories(root, info):
        return [CategoryType(code=code, name=name) for code, name in taxonomy.names().items()]


# --- mutations: one per transition ---------------------------------------------------------------


def _petition_pk(global_id: str) -> str:
    return decode(global_id, expected="Petition")[1]


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
    class Meta:
        name = "PetitionerInput"

    name = graphene.String(required=True)
    id_number = graphene.String(description="18 characters, GB 11643 check digit")
    phone = graphene.String()
    address = graphene.String()
    is_representative = graphene.Boolean(default_value=False)


class RegisterPetition(graphene.Mutation):
    """登记: register a petition; the payload's queryCode is shown once to the petitioner."""

    class Arguments:
        channel = ChannelEnum(required=True)
        category = graphene.String(required=True)
        place = graphene.String(required=True)
        place_code = graphene.String()
        accused_body = graphene.String()
        accused_kind = AccusedKindEnum(description="required with isAccusation")
        accused_division_code = graphene.String(
            description="where the accused body sits (GB/T 2260, or a town's 9 or a village's "
            "12-digit code); required with isAccusation"
        )
        content = graphene.String(required=True)
        request = graphene.String()
        is_accusation = graphene.Boolean()
        is_skip_level = graphene.Boolean()
        petitioners = graphene.List(graphene.NonNull(PetitionerInputType), required=True)
        received_on = graphene.Date(
            description="收信/来访日期: the day the letter or visit was received (default today; "
            "not in the future, at most the office's configured number of days back)"
        )
        idempotency_key = graphene.String(
            default_value="",
            description="a retry with the same key and payload returns the first registration; "
            "another payload with the key is refused with IDEMPOTENCY_KEY_REUSED",
        )

    petition = graphene.Field(PetitionType, required=True)
    query_code = graphene.String(required=True)

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
            "id": graphene.ID(required=True),
            "version": graphene.Int(required=True, description="the version you loaded"),
            **arguments,
        },
    )
    mutation = type(
        name,
        (graphene.Mutation,),
        {
            "__doc__": doc,
            "Arguments": args,
            "petition": graphene.Field(PetitionType, required=True),
            "mutate": staticmethod(mutate),
        },
    )
    return mutation


RoutePetition = _transition_mutation(
    "RoutePetition",
    services.petition_route,
    "交由本机关办理: to handle here",
    note=graphene.String(),
)
DeclinePetition = _transition_mutation(
    "DeclinePetition",
    services.petition_decline,
    "不予受理 with the reason and where to go",
    reason=graphene.String(required=True),
    redirect_channel=RedirectEnum(required=True),
    redirect_authority=graphene.String(),
    note=graphene.String(),
)
AcceptPetition = _transition_mutation(
    "AcceptPetition",
    services.petition_accept,
    "受理: accept; starts the 60-day handling clock",
    note=graphene.String(),
)
AssignPetition = _transition_mutation(
    "AssignPetition",
    services.petition_assign,
    "Assign (or reassign) to a handler",
    handler_id=graphene.ID(required=True),
    note=graphene.String(),
)
ExtendPetition = _transition_mutation(
    "ExtendPetition",
    services.petition_extend,
    "延期: once, at most 30 days, by a leader",
    days=graphene.Int(required=True),
    reason=graphene.String(required=True),
)
StartHearing = _transition_mutation(
    "StartHearing",
    services.petition_start_hearing,
    "听证: the handling clock stops",
    on=graphene.Date(),
    note=graphene.String(),
)
EndHearing = _transition_mutation(
    "EndHearing",
    services.petition_end_hearing,
    "The hearing ended; the deadline moves",
    on=graphene.Date(),
    note=graphene.String(),
)
ReplyPetition = _transition_mutation(
    "ReplyPetition",
    services.petition_reply,
    "出具处理意见: the written opinion",
    opinion=graphene.String(required=True),
)
EvaluatePetition = _transition_mutation(
    "EvaluatePetition",
    services.petition_evaluate,
    "满意度评价: the petitioner's rating",
    satisfaction=SatisfactionEnum(required=True),
    comment=graphene.String(),
)
ClosePetition = _transition_mutation(
    "ClosePetition",
    services.petition_close,
    "办结: close a replied petition",
    note=graphene.String(),
)
TerminatePetition = _transition_mutation(
    "TerminatePetition",
    services.petition_terminate,
    "终结: after re-review (复核)",
    recheck_reference=graphene.String(required=True),
    note=graphene.String(),
)


class Mutation(graphene.ObjectType):
    register_petition = RegisterPetition.Field()
    route_petition = RoutePetition.Field()
    decline_petition = DeclinePetition.Field()
    accept_petition = AcceptPetition.Field()
    assign_petition = AssignPetition.Field()
    extend_petition = ExtendPetition.Field()
    start_hearing = StartHearing.Field()
    end_hearing = EndHearing.Field()
    reply_petition = ReplyPetition.Field()
    evaluate_petition = EvaluatePetition.Field()
    close_petition = ClosePetition.Field()
    terminate_petition = TerminatePetition.Field()
