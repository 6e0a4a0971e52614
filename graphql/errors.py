"""How errors reach GraphQL clients: a message and a stable `extensions.code`, never a stack trace.

Service errors keep their own code and field. Query validation failures are
`GRAPHQL_VALIDATION_FAILED`; anything unexpected is `INTERNAL_ERROR` (and goes to Sentry).
"""

import logging

import sentry_sdk

from graphql import GraphQLError
from xinfang.platform.errors import ErrorCode, ServiceError

logger = logging.getLogger(__name__)


def format_error(error: Exception) -> dict:
    if not isinstance(error, GraphQLError):
        return {"message": str(error), "extensions": {"code": ErrorCode.BAD_REQUEST}}
    formatted = error.formatted
    original = error.original_error
    if original is None:
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
