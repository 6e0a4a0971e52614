"""How errors reach GraphQL clients: a message and a stable `extensions.code`, never a stack trace.

Service errors keep their own code and field. Everything found before execution (syntax, the
specification's rules, variables of the wrong type or enum, an `Int` past 2³¹) is the client's
mistake: `GRAPHQL_VALIDATION_FAILED`. Only an unexpected error inside a resolver is
`INTERNAL_ERROR` (and goes to Sentry).
"""

import logging

import sentry_sdk
from graphene_django.views import HttpError

from graphql import GraphQLError
from xinfang.platform.errors import ErrorCode, ServiceError

logger = logging.getLogger(__name__)


HTTP_ERROR_CODES = {405: ErrorCode.METHOD_NOT_ALLOWED}


def format_error(error: Exception) -> dict:
    if isinstance(error, HttpError):
        code = HTTP_ERROR_CODES.get(error.response.status_code, ErrorCode.BAD_REQUEST)
        return {"message": error.message, "extensions": {"code": code}}
    if not isinstance(error, GraphQLError):
        return {"message": str(error), "extensions": {"code": ErrorCode.BAD_REQUEST}}
    formatted = error.formatted
    original = error.original_error
    if isinstance(original, GraphQLError):
        original = original.original_error
    if original is None or (error.path is None and not isinstance(original, ServiceError)):
        formatted["extensions"] = {"code": ErrorCode.GRAPHQL_VALIDATION_FAILED}
    elif isinstance(original, ServiceError):
        extensions = {"code": original.code}
        if original.field:
            extensions["field"] = original.field
        extensions.update(original.extra)
        formatted["message"] = original.message
        formatted["extensions"] = extensions
    else:
        logger.exception("unexpected error in a GraphQL resolver", exc_info=original)
        sentry_sdk.capture_exception(original)
        formatted["message"] = "Internal error."
        formatted["extensions"] = {"code": ErrorCode.INTERNAL_ERROR}
    return formatted
