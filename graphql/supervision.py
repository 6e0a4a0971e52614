"""Supervision across a subtree: the overview, supervision orders (督办单), subtree metrics."""

import graphene
from django.utils import timezone

from xinfang.graphql.arguments import enum_value
from xinfang.graphql.auth import current_officer
from xinfang.graphql.cases import CategoryType, Matter, category_of
from xinfang.graphql.enums import (
    PetitionStatusEnum,
    SupervisionOrderReasonEnum,
    SupervisionOrderStatusEnum,
)
from xinfang.graphql.exchange import HandoffConnection, MatterType
from xinfang.graphql.nodes import (
    OfficeNode,
    decode_petition_copy,
    decode_uuid,
    petition_copy_id,
)
from xinfang.graphql.offices import OfficeType, office_by_code
from xinfang.graphql.pagination import connection, connection_field, keyset_page
from xinfang.graphql.resolution import (
    ResolutionOverviewType,
    SubtreeResolutionMetricsType,
    subtree_resolution,
)
from xinfang.platform.accounts.models import Role
from xinfang.platform.resolution import selectors as resolution_selectors
from xinfang.platform.supervision import selectors, services
from xinfang.platform.supervision.models import OrderStatus, SupervisionOrder


class RegistryRowType(graphene.ObjectType):
    class Meta:
        name = "RegistryRow"
        description = "A petition copy as oversight sees it: no content, no personal data"

    petition_id = graphene.ID(
        required=True, description="The copy (a Petition ID here, else a CrossOfficePetition ID)."
    )
    matter = graphene.Field(MatterType, required=True, description="The matter it belongs to.")
    office = graphene.Field(
        OfficeType, required=True, description="The office that holds the copy."
    )
    reference = graphene.String(required=True, description="That office's reference number.")
    status = graphene.Field(
        PetitionStatusEnum, required=True, description="Where it is in that office's workflow."
    )
    category = graphene.Field(CategoryType, required=True, description="What it is about.")
    registered_at = graphene.DateTime(required=True, description="When that office registered it.")
    next_due = graphene.Date(description="That office's current deadline, or null.")
    is_skip_level = graphene.Boolean(
        required=True, description="越级访: brought over the head of the competent office."
    )
    is_repeat = graphene.Boolean(
        required=True, description="重复访: confirmed to repeat an earlier matter."
    )
    about_office = graphene.Field(
        OfficeType,
        description="For a skip-level petition, the lower office it is about; else null.",
    )

    @staticmethod
    def resolve_petition_id(record, info):
        return petition_copy_id(record.office.code, record.petition_id)

    @staticmethod
    def resolve_matter(record, info):
        return Matter(record.matter_id)

    @staticmethod
    def resolve_category(record, info):
        return category_of(record.category)

    @staticmethod
    def resolve_about_office(record, info):
        return office_by_code(info, record.about_office_code) if record.about_office_code else None


class SupervisionOrderType(graphene.ObjectType):
    """督办单: a higher office's order to a lower office about one petition."""

    class Meta:
        name = "SupervisionOrder"
        interfaces = (OfficeNode,)
        possible_types = (SupervisionOrder,)

    issuer_office = graphene.Field(
        OfficeType, required=True, description="The office that issued it."
    )
    target_office = graphene.Field(
        OfficeType, required=True, description="The office that must act and answer."
    )
    petition_id = graphene.ID(
        required=True,
        description="The target's petition (a Petition ID there, else a CrossOfficePetition ID).",
    )
    matter = graphene.Field(MatterType, required=True, description="The matter it concerns.")
    reference = graphene.String(
        required=True, description="The target's reference number of the petition."
    )
    reason = graphene.Field(
        SupervisionOrderReasonEnum, required=True, description="Why it was issued."
    )
    instructions = graphene.String(required=True, description="What the target office must do.")
    due_date = graphene.Date(required=True, description="The day the answer is due.")
    status = graphene.Field(
        SupervisionOrderStatusEnum, required=True, description="Where it stands."
    )
    answer = graphene.String(
        required=True, description="The target office's answer (empty before it)."
    )
    answered_at = graphene.DateTime(description="When it was answered, or null.")
    overdue = graphene.Boolean(required=True, description="Still open after its due date.")
    created_at = graphene.DateTime(required=True, description="When it was issued.")

    @staticmethod
    def resolve_overdue(order, info):
        return order.status == OrderStatus.OPEN and order.due_date < timezone.localdate()

    @staticmethod
    def resolve_reason(order, info):
        return enum_value(order.reason)

    @staticmethod
    def resolve_status(order, info):
        return enum_value(order.status)

    @staticmethod
    def resolve_petition_id(order, info):
        return petition_copy_id(order.target_office.code, order.petition_id)

    @staticmethod
    def resolve_matter(order, info):
        return Matter(order.matter_id)

    @classmethod
    def get_node(cls, info, id):
        current_officer(info)
        return selectors.order_for(office=info.context.tenant, order_id=id)


SupervisionOrderConnection = connection(
    SupervisionOrderType, description="A page of supervision orders, earliest deadline first."
)


class OfficeCountsType(graphene.ObjectType):
    """What one office of the subtree has to show."""

    class Meta:
        name = "SubtreeOfficeCounts"

    office = graphene.Field(OfficeType, required=True, description="The office.")
    overdue = graphene.Int(required=True, description="Its open petitions past their deadline.")
    cross_level = graphene.Int(
        required=True,
        description="Its cross-level petitions (escalated, repeat across levels, skip-level).",
    )
    skip_level = graphene.Int(required=True, description="Of those, the skip-level ones.")


RegistryRowConnection = connection(
    RegistryRowType, description="A page of petition copies as oversight sees them."
)


def _rows(name: str, key: tuple[str, ...]):
    """A resolver paging the overview's list `name` in the order `key`, counted by the overview."""

    def resolve(overview, info, **page):
        rows = getattr(overview, name)
        total = getattr(overview, f"{name}_count")
        return keyset_page(rows, key=key, count=lambda: total, **page)

    return staticmethod(resolve)


class OverviewType(graphene.ObjectType):
    """What a higher office watches across its subtree, from the public registry."""

    class Meta:
        name = "SupervisionOverview"

    today = graphene.Date(required=True, description="The day the overview counts overdue from.")
    overdue = connection_field(
        RegistryRowConnection,
        "Open petitions of the subtree past their deadline, earliest deadline first.",
    )
    cross_level = connection_field(
        RegistryRowConnection, "Cross-level petitions of the subtree, newest first."
    )
    escalated_to_office = connection_field(
        HandoffConnection, "Open handoffs sent up to this office (上报, 复查, 复核), newest first."
    )
    handed_off_by_office = connection_field(
        HandoffConnection, "Open handoffs this office sent, newest first."
    )
    overdue_orders = connection_field(
        SupervisionOrderConnection,
        "Orders issued in the subtree and not answered in time, earliest first.",
    )
    by_office = graphene.List(
        graphene.NonNull(OfficeCountsType),
        required=True,
        description="The offices of the subtree with something to show, most overdue first.",
    )
    resolution = graphene.Field(
        ResolutionOverviewType,
        required=True,
        description="Hard cases, return visits, action items and care contacts needing attention.",
    )

    @staticmethod
    def resolve_resolution(overview, info):
        return resolution_selectors.overview(office=overview.office, today=overview.today)

    resolve_overdue = _rows("overdue", ("next_due", "petition_id"))
    resolve_cross_level = _rows("cross_level", ("-registered_at", "-petition_id"))
    resolve_escalated_to_office = _rows("escalated_to_office", ("-created_at", "-id"))
    resolve_handed_off_by_office = _rows("handed_off_by_office", ("-created_at", "-id"))
    resolve_overdue_orders = _rows("overdue_orders", ("due_date", "id"))


class MetricsType(graphene.ObjectType):
    """One office's (or the subtree's) monthly figures over a period, and their rates."""

    class Meta:
        name = "SubtreeOfficeMetrics"

    office = graphene.Field(OfficeType, description="The office; null for the subtree's total.")
    registered = graphene.Int(required=True, description="Petitions registered.")
    acceptance_due = graphene.Int(
        required=True, description="Petitions whose acceptance deadline fell in the period."
    )
    accepted_on_time = graphene.Int(required=True, description="Of them, accepted in time.")
    handling_due = graphene.Int(
        required=True, description="Petitions whose handling deadline fell in the period."
    )
    completed_on_time = graphene.Int(required=True, description="Of them, answered in time.")
    evaluated = graphene.Int(required=True, description="Petitions rated by the petitioner.")
    satisfied = graphene.Int(
        required=True, description="Of them, satisfied or basically satisfied."
    )
    repeat = graphene.Int(required=True, description="Petitions confirmed as repeats.")
    skip_level_registered = graphene.Int(
        required=True, description="Skip-level petitions registered here."
    )
    skip_level_about = graphene.Int(
        required=True, description="skip-level petitions about this office, registered above it"
    )
    timely_acceptance_rate = graphene.Float(
        description="acceptedOnTime / acceptanceDue, or null when nothing was due."
    )
    on_time_completion_rate = graphene.Float(
        description="completedOnTime / handlingDue, or null when nothing was due."
    )
    satisfaction_rate = graphene.Float(
        description="satisfied / evaluated, or null when nothing was rated."
    )
    repeat_rate = graphene.Float(
        description="repeat / registered, or null when nothing was registered."
    )
    skip_level_rate = graphene.Float(
        description="skipLevelRegistered / registered, or null when nothing was registered."
    )


class SubtreeMetricsType(graphene.ObjectType):
    """Monthly figures over a period for every office of the subtree, and their total."""

    class Meta:
        name = "SubtreeMetrics"

    total = graphene.Field(MetricsType, required=True, description="The whole subtree.")
    offices = graphene.List(
        graphene.NonNull(MetricsType),
        required=True,
        description="Each office of the subtree, by code.",
    )
    resolution = graphene.Field(
        SubtreeResolutionMetricsType,
        required=True,
        description="Resolution figures of the same subtree and period (docs/resolution.md).",
    )

    @staticmethod
    def resolve_resolution(result, info):
        return subtree_resolution(
            office=result.office, from_month=result.from_month, to_month=result.to_month
        )


class Query(graphene.ObjectType):
    supervision_overview = graphene.Field(
        OverviewType,
        required=True,
        description="Escalated, handed off, cross-level and overdue across this office's subtree.",
    )
    supervision_orders = connection_field(
        SupervisionOrderConnection,
        "Supervision orders this office issued, or received.",
        issued=graphene.Boolean(
            required=True, description="Issued by this office (true), or received (false)."
        ),
        status=SupervisionOrderStatusEnum(description="Only orders in this state."),
    )
    subtree_metrics = graphene.Field(
        SubtreeMetricsType,
        required=True,
        from_month=graphene.Date(required=True, description="A day of the first month."),
        to_month=graphene.Date(required=True, description="A day of the last month (inclusive)."),
        description="Monthly figures of this office's subtree (supervisors and leaders).",
    )

    @staticmethod
    def resolve_supervision_overview(root, info):
        current_officer(info, Role.SUPERVISOR, Role.LEADER)
        return selectors.overview(office=info.context.tenant)

    @staticmethod
    def resolve_supervision_orders(root, info, issued, status=None, **page):
        current_officer(info)
        orders = selectors.orders(
            office=info.context.tenant, issued=issued, status=enum_value(status)
        )
        return keyset_page(orders, key=("due_date", "-created_at", "-id"), **page)

    @staticmethod
    def resolve_subtree_metrics(root, info, from_month, to_month):
        current_officer(info, Role.SUPERVISOR, Role.LEADER)
        return selectors.subtree_metrics(
            office=info.context.tenant, from_month=from_month, to_month=to_month
        )


class IssueSupervisionOrder(graphene.Mutation):
    """督办: order a lower office to act on one of its petitions by a deadline."""

    class Meta:
        name = "IssueSupervisionOrderPayload"

    class Arguments:
        petition_id = graphene.ID(required=True, description="the lower office's petition")
        reason = SupervisionOrderReasonEnum(required=True, description="Why the order is issued.")
        instructions = graphene.String(required=True, description="What the lower office must do.")
        due_date = graphene.Date(required=True, description="The day the answer is due.")
        idempotency_key = graphene.String(
            default_value="",
            description="Any string: a retry with the same key returns the first order.",
        )

    order = graphene.Field(SupervisionOrderType, required=True, description="The order.")

    @staticmethod
    def mutate(root, info, petition_id, reason, **kwargs):
        officer = current_officer(info)
        order = services.order_issue(
            officer=officer,
            petition_id=decode_petition_copy(petition_id, field="petitionId"),
            reason=enum_value(reason),
            **kwargs,
        )
        return IssueSupervisionOrder(order=order)


class AnswerSupervisionOrder(graphene.Mutation):
    """The lower office answers a supervision order."""

    class Meta:
        name = "AnswerSupervisionOrderPayload"

    class Arguments:
        order_id = graphene.ID(required=True, description="The order's global ID.")
        answer = graphene.String(
            required=True, description="The answer, as sent to the issuing office."
        )

    order = graphene.Field(SupervisionOrderType, required=True, description="The answered order.")

    @staticmethod
    def mutate(root, info, order_id, answer):
        officer = current_officer(info)
        order = services.order_answer(
            order_id=decode_uuid(order_id, expected="SupervisionOrder", field="orderId"),
            officer=officer,
            answer=answer,
        )
        return AnswerSupervisionOrder(order=order)


class Mutation(graphene.ObjectType):
    issue_supervision_order = IssueSupervisionOrder.Field(required=True)
    answer_supervision_order = AnswerSupervisionOrder.Field(required=True)
