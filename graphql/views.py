"""The GraphQL view: per-request dataloaders, the limits of graphql/limits.py, structured errors.

A document is parsed and checked once per process (an LRU keyed by schema and query text: clients
send the same few documents again and again): first against the specification's rules, and only
when it passes them against the static limits (so a circular or undefined fragment is a 400, not a
recursion). Page sizes and cost depend on the variables and are checked on every request.
"""

import json
import re
from collections import OrderedDict
from contextlib import nullcontext
from threading import Lock

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from graphene_django.views import GraphQLView, HttpError
from graphql_sync_dataloaders import DeferredExecutionContext

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from xinfang.graphql.errors import format_error
from xinfang.graphql.inputs import ForbiddenCharacters, variable_errors
from xinfang.graphql.limits import (
    Limits,
    NoIntrospection,
    charge_office,
    check_query_cost,
    field_count_validator,
    query_cost,
)
from xinfang.platform.errors import ErrorCode, ServiceError
from xinfang.platform.replica import cross_office_reads

DOCUMENT_CACHE_SIZE = 512
# Fields whose arguments are secrets (a query code): never in a URL, where proxies and access
# logs keep it.
POST_ONLY_FIELDS = frozenset({"petitionProgress"})
# Queries made only of these read whole subtrees from public-schema rows: the streaming replica
# may answer them (platform/replica.py).
CROSS_OFFICE_FIELDS = frozenset({"supervisionOverview", "subtreeMetrics", "searchPetitions"})
SUGGESTION = re.compile(r" ?Did you mean .*\?$")


class ExecutionContext(DeferredExecutionContext):
    """graphql-sync-dataloaders 0.1.1 calls `handle_field_error(error, return_type)`, but
    graphql-core 3.2.14 added a `path` argument: without this, any error in a field resolved
    through a dataloader turns the whole response into a 400."""

    def handle_field_error(self, error, return_type, path=None):
        return super().handle_field_error(error, return_type, path)


def static_rules():
    """What every document must pass besides the specification, whatever its variables."""
    rules = [field_count_validator(settings.GRAPHQL_MAX_FIELDS), ForbiddenCharacters]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoIntrospection)
    return tuple(rules)


class _Documents:
    """(document, validation errors) per (schema, query text), least recently used dropped."""

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), Lock()

    def get(self, schema, query: str):
        key = (id(schema), query, settings.GRAPHQL_INTROSPECTION)
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        try:
            document = parse(query)
        except GraphQLError as error:
            return None, [error]  # syntax errors are not worth a cache slot
        errors = validate(schema, document, specified_rules) or validate(
            schema, document, static_rules()
        )
        entry = (document, errors)
        with self.lock:
            self.entries[key] = entry
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return entry


_documents = _Documents(DOCUMENT_CACHE_SIZE)


def _without_suggestions(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Validation errors without "Did you mean …?": in production they spell out the schema."""
    if settings.GRAPHQL_SUGGESTIONS:
        return errors
    return [
        GraphQLError(
            SUGGESTION.sub("", error.message),
            error.nodes,
            error.source,
            error.positions,
            original_error=error.original_error,
        )
        for error in errors
    ]


def _fragments(document) -> dict:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


def _root_fields(selection_set, fragments) -> set[str]:
    """The names of the operation's top-level fields, through fragments (valid: none circular)."""
    names = set()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        else:
            inner = (
                fragments[selection.name.value].selection_set
                if isinstance(selection, FragmentSpreadNode)
                else selection.selection_set
            )
            names |= _root_fields(inner, fragments)
    return names


def _refuse(message: str):
    raise HttpError(HttpResponseBadRequest(message))


class XinfangGraphQLView(GraphQLView):
    """GraphQL with per-request dataloaders, depth, size, page-size and cost limits.

    Browser sessions go through Django's CSRF check; requests without a session cookie and
    bearer-token integrations are exempted before it runs (platform/accounts/middleware.py).
    """

    execution_context_class = ExecutionContext
    graphiql_template = "xinfang/graphiql.html"

    @staticmethod
    def get_graphql_params(request, data):
        query, variables, operation_name, id = GraphQLView.get_graphql_params(request, data)
        if query is not None and not isinstance(query, str):
            _refuse("'query' must be a string.")
        if variables is not None and not isinstance(variables, dict):
            _refuse("'variables' must be an object.")
        if operation_name is not None and not isinstance(operation_name, str):
            _refuse("'operationName' must be a string.")
        return query, variables, operation_name, id

    def parse_body(self, request):
        try:
            return super().parse_body(request)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            _refuse("The body is not valid JSON.")

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        if not query:
            if show_graphiql:
                return None
            _refuse("Must provide query string.")
        schema = self.schema.graphql_schema
        document, errors = _documents.get(schema, query)
        if errors:
            return ExecutionResult(data=None, errors=_without_suggestions(errors))
        operation_ast = get_operation_ast(document, operation_name)
        fragments = _fragments(document)
        if operation_ast is None:
            _refuse("No operation of that name, or several operations and no operationName.")
        if request.method.lower() == "get":
            if show_graphiql:
                return None
            self._check_get(operation_ast, fragments)
        errors = variable_errors(variables)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        limits = Limits.from_settings()
        cost, errors = query_cost(schema, fragments, operation_ast, variables, limits)
        if errors:
            return ExecutionResult(data=None, errors=errors[:1])
        try:
            check_query_cost(cost, limits)
            # (the public host has no sessions: its schema holds no officers)
            if request.tenant.schema_name != "public" and request.user.is_authenticated:
                charge_office(request.tenant.schema_name, cost, limits)
        except ServiceError as error:
            refused = GraphQLError(error.message, original_error=error)
            return ExecutionResult(data=None, errors=[refused])
        reads = (
            cross_office_reads()
            if operation_ast.operation == OperationType.QUERY
            and _root_fields(operation_ast.selection_set, fragments) <= CROSS_OFFICE_FIELDS
            else nullcontext()
        )
        try:
            with reads:
                return execute(
                    schema,
                    document,
                    root_value=self.get_root_value(request),
                    context_value=self.get_context(request),
                    variable_values=variables,
                    operation_name=operation_name,
                    middleware=self.get_middleware(request),
                    execution_context_class=self.execution_context_class,
                )
        except Exception as error:
            return ExecutionResult(errors=[error])

    @staticmethod
    def _check_get(operation_ast, fragments):
        if operation_ast.operation != OperationType.QUERY:
            raise HttpError(HttpResponseNotAllowed(["POST"], "Only queries can be sent with GET."))
        if _root_fields(operation_ast.selection_set, fragments) & POST_ONLY_FIELDS:
            raise HttpError(
                HttpResponseNotAllowed(["POST"], "A progress lookup must be sent with POST.")
            )

    @staticmethod
    def format_error(error):
        return format_error(error)


def graphql_view(schema):
    # No resolver middleware: graphene-django adds its SQL-tracking debug middleware whenever
    # DEBUG is on, which wraps every field and (measured) doubles the time of a 50-row list.
    return XinfangGraphQLView.as_view(graphiql=True, schema=schema, middleware=[])


def csrf_failure(request, reason=""):
    """Django's CSRF rejection as a GraphQL error (settings.CSRF_FAILURE_VIEW): clients get JSON
    with a stable code, not an HTML page. Only requests carrying a session cookie are checked:
    browsers send the csrftoken cookie's value; integrations send no cookie or a bearer token."""
    return JsonResponse(
        {
            "errors": [
                {
                    "message": f"CSRF check failed: {reason}. A request with a session cookie "
                    "sends the csrftoken cookie's value in X-CSRFToken.",
                    "extensions": {"code": ErrorCode.CSRF_FAILED},
                }
            ]
        },
        status=403,
    )
