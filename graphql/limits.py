"""What a document may ask for, decided before anything runs: depth, size, page sizes and cost.

These checks run only on a document that passed the specification's own rules, so every fragment
they follow is defined and none is circular (a client's typo is a 400, never a recursion).

A query's cost is the number of objects it may resolve: each field costs 1, and a field that
returns a page (an argument named in `PAGE_ARGUMENTS`, inline or from a variable, or else its
default) multiplies what it selects by that page size; a plain list multiplies it by
`LIST_FACTOR`. Aliases are separate fields, so fifty aliases cost fifty times one.

Every office also has a budget (`GRAPHQL_OFFICE_COST_BUDGET` in any `GRAPHQL_COST_WINDOW_SECONDS`,
a sliding window: platform/budgets.py): the cost of each logged-in request (a session or an API
token) is charged to its office before it runs, in Redis, shared by every web process; a request
that would pass the budget is refused with `COST_BUDGET_EXHAUSTED` and `retryAfter`, so one office's
busy integration slows only that office. Anonymous requests are not charged (or anyone could
spend an office's budget): they reach only the progress lookup and public schedules, which have
throttles of their own.
"""

from dataclasses import dataclass

from django.conf import settings

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
    get_named_type,
    value_from_ast,
)
from xinfang.platform.budgets import SlidingBudget
from xinfang.platform.errors import ErrorCode, ServiceError

PAGE_ARGUMENTS = ("first", "last", "size")
# What a list without a page argument (a petition's petitioners, its timeline) is assumed to hold.
LIST_FACTOR = 5
# A page argument the client left out: the field's own default, or this.
DEFAULT_PAGE = 20


class QueryTooCostly(ServiceError):
    code = ErrorCode.QUERY_TOO_COSTLY


class CostBudgetExhausted(ServiceError):
    code = ErrorCode.COST_BUDGET_EXHAUSTED


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_cost: int
    max_page_size: int
    office_budget: int
    budget_window: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_depth=settings.GRAPHQL_MAX_DEPTH,
            max_cost=settings.GRAPHQL_MAX_COST,
            max_page_size=settings.GRAPHQL_MAX_PAGE_SIZE,
            office_budget=settings.GRAPHQL_OFFICE_COST_BUDGET,
            budget_window=settings.GRAPHQL_COST_WINDOW_SECONDS,
        )


class _Walk:
    """Depth and cost of one operation, with its variables (page sizes may be variables)."""

    def __init__(self, schema: GraphQLSchema, fragments: dict, variables: dict, limits: Limits):
        self.schema, self.fragments, self.variables, self.limits = (
            schema,
            fragments,
            variables,
            limits,
        )
        self.errors: list[GraphQLError] = []

    def selection_cost(
        self, parent: GraphQLObjectType, selection_set, depth: int, paged: bool = False
    ) -> int:
        """`paged`: the parent field's page size already counts the lists selected here (a
        connection's edges, a search's hits)."""
        if selection_set is None:
            return 0
        if depth > self.limits.max_depth:
            self.errors.append(
                GraphQLError(f"the query is deeper than {self.limits.max_depth} levels")
            )
            return 0
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost += self.field_cost(parent, selection, depth, paged)
            elif isinstance(selection, InlineFragmentNode):
                on = selection.type_condition
                target = self.schema.get_type(on.name.value) if on else parent
                cost += self.selection_cost(target, selection.selection_set, depth, paged)
            elif isinstance(selection, FragmentSpreadNode):
                fragment: FragmentDefinitionNode = self.fragments[selection.name.value]
                target = self.schema.get_type(fragment.type_condition.name.value)
                cost += self.selection_cost(target, fragment.selection_set, depth, paged)
        return cost

    def field_cost(self, parent, node: FieldNode, depth: int, paged: bool) -> int:
        if node.name.value.startswith("__"):
            return 1  # introspection: bounded by the schema, and off in production
        definition = parent.fields[node.name.value]
        factor, pages = self.multiplier(definition, node)
        if paged and not pages:
            factor = 1
        child = get_named_type(definition.type)
        return 1 + factor * self.selection_cost(child, node.selection_set, depth + 1, pages)

    def multiplier(self, definition, node: FieldNode) -> tuple[int, bool]:
        """(how many of what it selects the field may return, whether that is a page size)."""
        for argument_name in PAGE_ARGUMENTS:
            argument = definition.args.get(argument_name)
            if argument is None:
                continue
            size = self.page_size(argument, node, argument_name)
            if size is not None:
                if size > self.limits.max_page_size:
                    self.errors.append(
                        GraphQLError(
                            f"'{argument_name}' is {size}; at most "
                            f"{self.limits.max_page_size} per page",
                            node,
                        )
                    )
                return max(size, 1), True
        field_type = definition.type
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        return (LIST_FACTOR if isinstance(field_type, GraphQLList) else 1), False

    def page_size(self, argument, node: FieldNode, name: str) -> int | None:
        for given in node.arguments:
            if given.name.value == name:
                value = value_from_ast(given.value, argument.type, self.variables)
                return value if isinstance(value, int) else None
        default = argument.default_value
        return default if isinstance(default, int) else DEFAULT_PAGE if name == "first" else None


def query_cost(
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    operation: OperationDefinitionNode,
    variables: dict | None,
    limits: Limits,
) -> tuple[int, list[GraphQLError]]:
    """The operation's cost, and the depth / page-size errors found on the way."""
    root = schema.get_root_type(operation.operation)
    walk = _Walk(schema, fragments, variables or {}, limits)
    cost = walk.selection_cost(root, operation.selection_set, 1)
    return cost, walk.errors


def check_query_cost(cost: int, limits: Limits) -> None:
    if cost > limits.max_cost:
        raise QueryTooCostly(
            f"this query may resolve about {cost} objects; at most {limits.max_cost} per "
            "request: ask for smaller pages or fewer aliases",
            cost=cost,
            maxCost=limits.max_cost,
        )


def charge_office(office: str, cost: int, limits: Limits) -> None:
    """Charge `cost` to the office's budget of the last window, or refuse the request
    (uncharged) with the seconds until it would pass."""
    budget = SlidingBudget("office-cost", limits.office_budget, limits.budget_window)
    refused = budget.charge(office, cost)
    if refused:
        raise CostBudgetExhausted(
            f"this office has spent its query budget of {limits.office_budget} in the last "
            f"{limits.budget_window} seconds",
            cost=cost,
            budget=limits.office_budget,
            retryAfter=refused.retry_after,
        )


def field_count_validator(max_fields: int):
    """Refuse documents selecting more than `max_fields` fields in all (query size)."""

    class FieldCountLimit(ValidationRule):
        count = 0

        def enter_field(self, node, *_args):
            self.count += 1
            if self.count == max_fields + 1:
                self.report_error(
                    GraphQLError(f"the query selects more than {max_fields} fields", node)
                )

    return FieldCountLimit


class NoIntrospection(ValidationRule):
    """Refuse `__schema` and `__type` (they spell out the whole schema), but not `__typename`,
    which Apollo adds to every selection. (graphene's DisableIntrospection refuses all three.)"""

    def enter_field(self, node: FieldNode, *_args):
        if node.name.value in {"__schema", "__type"}:
            self.report_error(
                GraphQLError(f"Cannot query '{node.name.value}': introspection is disabled.", node)
            )
