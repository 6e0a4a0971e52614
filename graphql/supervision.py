"""Supervision across a subtree: the overview, supervision orders (督办单), subtree metrics."""

import graphene
from django.utils import timezone

from xinfang.graphql.arguments import enum_type, enum_value
from xinfang.graphql.auth import current_officer
from xinfang.graphql.exchange import HandoffType, OfficeRefType
from xinfang.platform.accounts.models import Role
from xinfang.platform.supervision import selectors, services
from xinfang.platform.supervision.models import OrderReason, OrderStatus

OrderReasonEnum = enum_type("SupervisionOrderReason", OrderReason)
OrderStatusEnum = enum_type("SupervisionOrderStatus", OrderStatus)


class RegistryRowType(graphene.ObjectType):
    class Meta:
        name = "RegistryRow"
        description = "A petition copy as oversight sees it: no content, no personal data"

    petition_id = graphene.UUID(required=True)
    matter_id = graphene.UUID(required=True)
    office = graphene.Field(OfficeRefType, required=True)
    reference = graphene.String(required=True)
    status = graphene.String(required=True)
    category = graphene.String(required=True)
    registered_at = graphene.DateTime(required=True)
    next_due = graphene.Date()
    is_skip_level = graphene.Boolean(required=True)
    is_repeat = graphene.Boolean(required=True)
    about_office_code = graphene.String(required=True)


class SupervisionOrderType(graphene.ObjectType):
    class Meta:
        name = "SupervisionOrder"

    id = graphene.UUID(required=True)
    issuer_office = graphene.Field(OfficeRefType, required=True)
    target_office = graphene.Field(OfficeRefType, required=True)
    petition_id = graphene.UUID(required=True)
    matter_id = graphene.UUID(required=True)
    reference = graphene.String(required=True)
    reason = graphene.Field(OrderReasonEnum, required=True)
    instructions = graphene.String(required=True)
    due_date = graphene.Date(required=True)
    status = graphene.Field(OrderStatusEnum, required=True)
    answer = graphene.String(required=True)
    answered_at = graphene.DateTime()
    overdue = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_overdue(order, info):
        return order.status == OrderStatus.OPEN and order.due_date < timezone.localdate()

    @staticmethod
    def resolve_reason(order, info):
        return enum_value(order.reason)

    @staticmethod
    def resolve_status(order, info):
        return enum_value(order.status)


class OfficeCountsType(graphene.ObjectType):
    class Meta:
        name = "SubtreeOfficeCounts"

    office = graphene.Field(OfficeRefType, required=True)
    overdue = graphene.Int(required=True)
    cross_level = graphene.Int(required=True)
    skip_level = graphene.Int(required=True)


class OverviewType(graphene.ObjectType):
    class Meta:
        name = "SupervisionOverview"

    today = graphene.Date(required=True)
    overdue_count = graphene.Int(required=True)
    cross_level_count = graphene.Int(required=True)
    escalated_to_office_count = graphene.Int(required=True)
    handed_off_by_office_count = graphene.Int(required=True)
    overdue_orders_count = graphene.Int(required=True)
    overdue = graphene.List(graphene.NonNull(RegistryRowType), required=True)
    cross_level = graphene.List(graphene.NonNull(RegistryRowType), required=True)
    escalated_to_office = graphene.List(graphene.NonNull(HandoffType), required=True)
    handed_off_by_office = graphene.List(graphene.NonNull(HandoffType), required=True)
    overdue_orders = graphene.List(graphene.NonNull(SupervisionOrderType), required=True)
    by_office = graphene.List(graphene.NonNull(OfficeCountsType), required=True)


class MetricsType(graphene.ObjectType):
    class Meta:
        name = "SubtreeOfficeMetrics"

    office = graphene.Field(OfficeRefType)
    registered = graphene.Int(required=True)
    acceptance_due = graphene.Int(required=True)
    accepted_on_time = graphene.Int(required=True)
    handling_due = graphene.Int(required=True)
    completed_on_time = graphene.Int(required=True)
    evaluated = graphene.Int(required=True)
    satisfied = graphene.Int(required=True)
    repeat = graphene.Int(required=True)
    skip_level_registered = graphene.Int(required=True)
    skip_level_about = graphene.Int(
        required=True, description="skip-level petitions about this office, registered above it"
    )
    timely_acceptance_rate = graphene.Float()
    on_time_completion_rate = graphene.Float()
    satisfaction_rate = graphene.Float()
    repeat_rate = graphene.Float()
    skip_level_rate = graphene.Float()


class SubtreeMetricsType(graphene.ObjectType):
    class Meta:
        name = "SubtreeMetrics"

    total = graphene.Field(MetricsType, required=True)
    offices = graphene.List(graphene.NonNull(MetricsType), required=True)


class Query(graphene.ObjectType):
    supervision_overview = graphene.Field(
        OverviewType,
        required=True,
        size=graphene.Int(default_value=20),
        description="Escalated, handed off, cross-level and overdue across this office's subtree",
    )
    supervision_orders = graphene.List(
        graphene.NonNull(SupervisionOrderType),
        required=True,
        issued=graphene.Boolean(required=True, description="issued by this office, or received"),
        status=OrderStatusEnum(),
    )
    subtree_metrics = graphene.Field(
        SubtreeMetricsType,
        required=True,
        from_month=graphene.Date(required=True),
        to_month=graphene.Date(required=True),
    )

    @staticmethod
    def resolve_supervision_overview(root, info, size):
        current_officer(info, Role.SUPERVISOR, Role.LEADER)
        return selectors.overview(office=info.context.tenant, size=max(0, min(size, 100)))

    @staticmethod
    def resolve_supervision_orders(root, info, issued, status=None):
        current_officer(info)
        return selectors.orders(
            office=info.context.tenant, issued=issued, status=enum_value(status)
        )

    @staticmethod
    def resolve_subtree_metrics(root, info, from_month, to_month):
        current_officer(info, Role.SUPERVISOR, Role.LEADER)
        return selectors.subtree_metrics(
            office=info.context.tenant, from_month=from_month, to_month=to_month
        )


class IssueSupervisionOrder(graphene.Mutation):
    """督办: order a lower office to act on one of its petitions by a deadline."""

    class Arguments:
        petition_id = graphene.UUID(required=True, description="the lower office's petition")
        reason = OrderReasonEnum(required=True)
        instructions = graphene.String(required=True)
        due_date = graphene.Date(required=True)
        idempotency_key = graphene.String(default_value="")

    order = graphene.Field(SupervisionOrderType, required=True)

    @staticmethod
    def mutate(root, info, reason, **kwargs):
        officer = current_officer(info)
        order = services.order_issue(officer=officer, reason=enum_value(reason), **kwargs)
        return IssueSupervisionOrder(order=order)


class AnswerSupervisionOrder(graphene.Mutation):
    """The lower office answers a supervision order."""

    class Arguments:
        order_id = graphene.UUID(required=True)
        answer = graphene.String(required=True)

    order = graphene.Field(SupervisionOrderType, required=True)

    @staticmethod
    def mutate(root, info, order_id, answer):
        officer = current_officer(info)
        order = services.order_answer(order_id=order_id, officer=officer, answer=answer)
        return AnswerSupervisionOrder(order=order)


class Mutation(graphene.ObjectType):
    issue_supervision_order = IssueSupervisionOrder.Field()
    answer_supervision_order = AnswerSupervisionOrder.Field()
