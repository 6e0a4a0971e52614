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
from xinfang.graphql.pagination import connection, connection_arguments, keyset_page
from xinfang.platform.accounts.models import Role
from xinfang.platform.supervision import selectors, services
from xinfang.platform.supervision.models import OrderStatus, SupervisionOrder


class RegistryRowType(graphene.ObjectType):
    class Meta:
        name = "RegistryRow"
        description = "A petition copy as oversight sees it: no content, no personal data"

    petition_id = graphene.ID(required=True)
    matter = graphene.Field(MatterType, required=True)
    office = graphene.Field(OfficeType, required=True)
    reference = graphene.String(required=True)
    status = graphene.Field(PetitionStatusEnum, required=True)
    category = graphene.Field(CategoryType, required=True)
    registered_at = graphene.DateTime(required=True)
    next_due = graphene.Date()
    is_skip_level = graphene.Boolean(required=True)
    is_repeat = graphene.Boolean(required=True)
    about_office = graphene.Field(OfficeType)

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

    issuer_office = graphene.Field(OfficeType, required=True)
    target_office = graphene.Field(OfficeType, required=True)
    petition_id = graphene.ID(required=True)
    matter = graphene.Field(MatterType, required=True)
    reference = graphene.String(required=True)
    reason = graphene.Field(SupervisionOrderReasonEnum, required=True)
    instructions = graphene.String(required=True)
    due_date = graphene.Date(required=True)
    status = graphene.Field(SupervisionOrderStatusEnum, required=True)
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
    class Meta:
        name = "SubtreeOfficeCounts"

    office = graphene.Field(OfficeType, required=True)
    overdue = graphene.Int(required=True)
    cross_level = graphene.Int(required=True)
    skip_level = graphene.Int(required=True)


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

    today = graphene.Date(required=True)
    overdue = graphene.Field(RegistryRowConnection, required=True, **connection_arguments())
    cross_level = graphene.Field(RegistryRowConnection, required=True, **connection_arguments())
    escalated_to_office = graphene.Field(HandoffConnection, required=True, **connection_arguments())
    handed_off_by_office = graphene.Field(
        HandoffConnection, required=True, **connection_arguments()
    )
    overdue_orders = graphene.Field(
        SupervisionOrderConnection, required=True, **connection_arguments()
    )
    by_office = graphene.List(graphene.NonNull(OfficeCountsType), required=True)

    resolve_overdue = _rows("overdue", ("next_due", "petition_id"))
    resolve_cross_level = _rows("cross_level", ("-registered_at", "-petition_id"))
    resolve_escalated_to_office = _rows("escalated_to_office", ("-created_at", "-id"))
    resolve_handed_off_by_office = _rows("handed_off_by_office", ("-created_at", "-id"))
    resolve_overdue_orders = _rows("overdue_orders", ("due_date", "id"))


class MetricsType(graphene.ObjectType):
    class Meta:
        name = "SubtreeOfficeMetrics"

    office = graphene.Field(OfficeType)
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
        description="Escalated, handed off, cross-level and overdue across this office's subtree.",
    )
    supervision_orders = graphene.Field(
        SupervisionOrderConnection,
        required=True,
        description="Supervision orders this office issued, or received.",
        **connection_arguments(
            issued=graphene.Boolean(
                required=True, description="Issued by this office (true), or received (false)."
            ),
            status=SupervisionOrderStatusEnum(description="Only orders in this state."),
        ),
    )
    subtree_metrics = graphene.Field(
        SubtreeMetricsType,
        required=True,
        from_month=graphene.Date(required=True),
        to_month=graphene.Date(required=True),
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
        reason = SupervisionOrderReasonEnum(required=True)
        instructions = graphene.String(required=True)
        due_date = graphene.Date(required=True)
        idempotency_key = graphene.String(default_value="")

    order = graphene.Field(SupervisionOrderType, required=True)

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
        order_id = graphene.ID(required=True)
        answer = graphene.String(required=True)

    order = graphene.Field(SupervisionOrderType, required=True)

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
