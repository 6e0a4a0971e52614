"""How errors reach GraphQL clients: a message and a stable `extensions.code`, never a stack trace.

Service errors keep their own code and field. Everything found before execution (syntax, the
specification's rules, variables of the wrong type or enum, an `Int` past 2³¹) is the client's
mistake: `GRAPHQL_VALIDATION_FAILED`. A value PostgreSQL refuses to store (too long, out of range,
a NUL) is the client's too and keeps a typed code, though it also goes to Sentry: the models'
limits (platform/validation.py) should have caught it. Only an unexpected error inside a
resolver is `INTERNAL_ERROR` (and goes to Sentry).
"""

import logging

import sentry_sdk
from django.db import DataError, IntegrityError
from graphene_django.views import HttpError

from graphql import GraphQLError
from xinfang.platform.errors import ErrorCode, ServiceError

logger = logging.getLogger(__name__)


HTTP_ERROR_CODES = {405: ErrorCode.METHOD_NOT_ALLOWED}
# PostgreSQL's SQLSTATEs for a value it will not store.
DATA_ERROR_CODES = {
    "22001": ErrorCode.TOO_LONG,  # string_data_right_truncation
    "22003": ErrorCode.VALUE_OUT_OF_RANGE,  # numeric_value_out_of_range
    "22021": ErrorCode.INVALID_CHARACTERS,  # character_not_in_repertoire
    "22P05": ErrorCode.INVALID_CHARACTERS,  # untranslatable_character (a NUL in jsonb)
    "23502": ErrorCode.REQUIRED,  # not_null_violation (a client's null)
}


def _data_error_code(error: DataError | IntegrityError) -> ErrorCode | None:
    return DATA_ERROR_CODES.get(getattr(error.__cause__, "sqlstate", None))


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
    elif isinstance(original, DataError | IntegrityError) and (code := _data_error_code(original)):
        # A value PostgreSQL refused that no declared limit caught (a row written by
        # bulk_create without `checked`, say): still the client's value, so a typed answer; and
        # Sentry hears of it, because the limit belongs in the models.
        sentry_sdk.capture_exception(original)
        formatted["message"] = code.english
        formatted["extensions"] = {"code": code}
    else:
        logger.exception("unexpected error in a GraphQL resolver", exc_info=original)
        sentry_sdk.capture_exception(original)
        formatted["message"] = "Internal error."
        formatted["extensions"] = {"code": ErrorCode.INTERNAL_ERROR}
    return formatted
