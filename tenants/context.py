"""The office serving the current request or task (django-tenants sets `connection.tenant`)."""

from django.db import connection

from xinfang.platform.errors import ErrorCode, PermissionDenied
from xinfang.tenants.models import Office


def current_office() -> Office:
    """The petition office whose schema is active; PermissionDenied on the public host or the
    template schema."""
    office = connection.tenant
    if not isinstance(office, Office) or office.kind != Office.Kind.OFFICE:
        raise PermissionDenied("this needs an office host", code=ErrorCode.NOT_AN_OFFICE)
    return office
