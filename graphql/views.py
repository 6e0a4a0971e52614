from django.conf import settings
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql_sync_dataloaders import DeferredExecutionContext

from graphql import GraphQLError, ValidationRule, specified_rules
from xinfang.graphql.errors import format_error

PAGE_ARGUMENTS = ("first", "last")


class ExecutionContext(DeferredExecutionContext):
    """graphql-sync-dataloaders 0.1.1 calls `handle_field_error(error, return_type)`, but
    graphql-core 3.2.14 added a `path` argument: without this, any error in a field resolved
    through a dataloader turns the whole response into a 400."""

    def handle_field_error(self, error, return_type, path=None):
        return super().handle_field_error(error, return_type, path)


def page_size_limit_validator(max_page_size: int, variables: dict | None):
    """Refuse `first`/`last` above the page size limit, written inline or passed as variables."""

    class PageSizeLimit(ValidationRule):
        def enter_argument(self, node, *_args):
            if node.name.value not in PAGE_ARGUMENTS:
                return
            value = node.value
            if value.kind == "variable":
                size = (variables or {}).get(value.name.value)
            elif value.kind == "int_value":
                size = int(value.value)
            else:
                return
            if isinstance(size, int) and size > max_page_size:
                self.report_error(
                    GraphQLError(
                        f"'{node.name.value}' is {size}; at most {max_page_size} per page",
                        node,
                    )
                )

    return PageSizeLimit


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

    def execute_graphql_request(self, request, data, query, variables, operation_name, *args):
        # A view instance serves one request, so the variables can shape this request's rules.
        self.validation_rules = (
            *type(self).validation_rules,
            page_size_limit_validator(settings.GRAPHQL_MAX_PAGE_SIZE, variables),
        )
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, *args
        )

    @staticmethod
    def format_error(error):
        return format_error(error)


def graphql_view(schema):
    return XinfangGraphQLView.as_view(graphiql=True, schema=schema)
