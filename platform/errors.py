"""Errors a user can cause: services raise them, GraphQL and the admin show their stable code."""


class ServiceError(Exception):
    code = "SERVICE_ERROR"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.extra = extra


class ValidationError(ServiceError):
    code = "INVALID_INPUT"


class PermissionDenied(ServiceError):
    code = "PERMISSION_DENIED"


class NotFound(ServiceError):
    code = "NOT_FOUND"


class Conflict(ServiceError):
    code = "CONFLICT"
