"""The GraphQL view: per-request dataloaders, depth / size / page-size limits, structured errors.

A document is parsed and checked against the spec and the static limits once per process (an LRU
keyed by schema and query text: clients send the same few documents again and again); only the
page-size limit, which depends on the variables, is checked on every request.
"""

from collections import OrderedDict
from threading import Lock

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView, HttpError
from graphql_sync_dataloaders import DeferredExecutionContext

from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationType,
    ValidationRule,
    Visitor,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
    visit,
)
from xinfang.graphql.errors import format_error
from xinfang.platform.errors import ErrorCode

PAGE_ARGUMENTS = ("first", "last")
DOCUMENT_CACHE_SIZE = 512


class ExecutionContext(DeferredExecutionContext):
    """graphql-sync-dataloaders 0.1.1 calls `handle_field_error(error, return_type)`, but
    graphql-core 3.2.14 added a `path` argument: without this, any error in a field resolved
    through a dataloader turns the whole response into a 400."""

    def handle_field_error(self, error, return_type, path=None):
        return super().handle_field_error(error, return_type, path)


class _PageSizes(Visitor):
    """Finds `first`/`last` above the limit, written inline or passed as variables."""

    def __init__(self, max_page_size: int, variables: dict | None):
        super().__init__()
        self.max_page_size, self.variables, self.errors = max_page_size, variables or {}, []

    def enter_argument(self, node, *_args):
        if node.name.value not in PAGE_ARGUMENTS:
            return
        value = node.value
        if value.kind == "variable":
            size = self.variables.get(value.name.value)
        elif value.kind == "int_value":
            size = int(value.value)
        else:
            return
        if isinstance(size, int) and size > self.max_page_size:
            self.errors.append(
                GraphQLError(
                    f"'{node.name.value}' is {size}; at most {self.max_page_size} per page", node
                )
            )


def page_size_errors(document, variables, max_page_size: int) -> list[GraphQLError]:
    visitor = _PageSizes(max_page_size, variables)
    visit(document, visitor)
    return visitor.errors


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


class _Documents:
    """(document, validation errors) per (schema, query text), least recently used dropped."""

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), Lock()

    def get(self, schema, query: str, rules):
        key = (id(schema), query)
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        try:
            document = parse(query)
        except GraphQLError as error:
            return None, [error]  # syntax errors are not worth a cache slot
        entry = (document, validate(schema, document, rules))
        with self.lock:
            self.entries[key] = entry
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return entry


_documents = _Documents(DOCUMENT_CACHE_SIZE)


class XinfangGraphQLView(GraphQLView):
    """GraphQL with per-request dataloaders, depth, size and page-size limits, structured errors.

    Browser sessions go through Django's CSRF check; bearer-token integrations are exempted by the
    token middleware before it runs (platform/accounts/middleware.py).
    """

    execution_context_class = ExecutionContext
    # Passing validation_rules replaces graphql-core's spec rules, so keep them explicitly.
    validation_rules = (
        *specified_rules,
        depth_limit_validator(settings.GRAPHQL_MAX_DEPTH),
        field_count_validator(getattr(settings, "GRAPHQL_MAX_FIELDS", 500)),
    )

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        schema = self.schema.graphql_schema
        document, errors = _documents.get(schema, query, self.validation_rules)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        operation_ast = get_operation_ast(document, operation_name)
        if (
            request.method.lower() == "get"
            and operation_ast is not None
            and operation_ast.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise HttpError(HttpResponseNotAllowed(["POST"], "Only queries can be sent with GET."))
        errors = page_size_errors(document, variables, settings.GRAPHQL_MAX_PAGE_SIZE)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        try:
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
    def format_error(error):
        return format_error(error)


def graphql_view(schema):
    # No resolver middleware: graphene-django adds its SQL-tracking debug middleware whenever
    # DEBUG is on, which wraps every field and (measured) doubles the time of a 50-row list.
    return XinfangGraphQLView.as_view(graphiql=True, schema=schema, middleware=[])


def csrf_failure(request, reason=""):
    """Django's CSRF rejection as a GraphQL error (settings.CSRF_FAILURE_VIEW): clients get JSON
    with a stable code, not an HTML page. Browsers get the token from GraphiQL's cookie;
    integrations send `Authorization: Bearer` and are exempt."""
    return JsonResponse(
        {
            "errors": [
                {
                    "message": f"CSRF check failed: {reason}. Send the csrftoken cookie's value "
                    "in X-CSRFToken, or authenticate with an API token.",
                    "extensions": {"code": ErrorCode.CSRF_FAILED},
                }
            ]
        },
        status=403,
    )
