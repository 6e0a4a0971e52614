from django.conf import settings
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql_sync_dataloaders import DeferredExecutionContext

from graphql import specified_rules
from xinfang.graphql.errors import format_error


class XinfangGraphQLView(GraphQLView):
    """GraphQL with per-request dataloaders, a depth limit and structured errors.

    Browser sessions go through Django's CSRF check; bearer-token integrations are exempted by the
    token middleware before it runs (platform/accounts/middleware.py).
    """

    execution_context_class = DeferredExecutionContext
    # Passing validation_rules replaces graphql-core's spec rules, so keep them explicitly.
    validation_rules = (*specified_rules, depth_limit_validator(settings.GRAPHQL_MAX_DEPTH))

    @staticmethod
    def format_error(error):
        return format_error(error)


def graphql_view(schema):
    return XinfangGraphQLView.as_view(graphiql=True, schema=schema)
